; Inno Setup script: wraps dist\quay (PyInstaller one-folder) into QuaySetup-VERSION.exe.
; iscc /DVersion=0.1.0 packaging\windows\quay.iss
#ifndef Version
  #define Version "0.1.0"
#endif
[Setup]
AppId={{8E2B7C55-3A0F-4F3B-9E53-5B1C2A7D9A10}
AppName=Quay
AppVersion={#Version}
AppPublisher=The Quay developers
DefaultDirName={autopf}\Quay
DefaultGroupName=Quay
OutputDir=..\..\dist
OutputBaseFilename=QuaySetup-{#Version}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\quay\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Quay"; Filename: "{app}\quay.exe"
Name: "{autodesktop}\Quay"; Filename: "{app}\quay.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
Filename: "{app}\quay.exe"; Description: "{cm:LaunchProgram,Quay}"; Flags: nowait postinstall skipifsilent
