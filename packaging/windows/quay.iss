; Inno Setup 6 script: wraps dist\quay (the PyInstaller one-folder bundle) into dist\QuaySetup-VERSION.exe.
;   iscc /DVersion=0.1.0 packaging\windows\quay.iss          (scripts/build-installer runs this on Windows)
; Needs build\icons\quay.ico (packaging/make_icons.py).
;
; - Installs for the current user (no administrator rights) or for all users: the user picks at start.
; - Start-menu shortcut always; desktop shortcut as an option.
; - Options to register Quay for mailto: links and for sftp:/ftp:/ftps: links. Windows 10 and 11 let
;   the user confirm the default in Settings > Default apps: the installer registers Quay as a
;   candidate (Capabilities + RegisteredApplications) and opens that page when asked.
; - The uninstaller removes the program and its registrations; the user's mail cache, settings and
;   transfer queue (%LOCALAPPDATA%\Quay) stay unless the user says to remove them too.

#ifndef Version
  #define Version "0.1.0"
#endif
#define AppExe "quay.exe"
#define AppKey "Software\Quay"
#define ProgMail "Quay.Url.mailto"
#define ProgFiles "Quay.Url.files"

[Setup]
AppId={{8E2B7C55-3A0F-4F3B-9E53-5B1C2A7D9A10}
AppName=Quay
AppVersion={#Version}
AppVerName=Quay {#Version}
AppPublisher=The Quay developers
AppPublisherURL=https://quay.invalid/
DefaultDirName={autopf}\Quay
DefaultGroupName=Quay
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=QuaySetup-{#Version}
SetupIconFile=..\..\build\icons\quay.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=Quay
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Per user by default; the first page offers "for all users" (which asks for administrator rights).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.RegisterMailto=Use Quay for e-mail links (mailto:)
en.RegisterFiles=Use Quay for file-transfer links (sftp:, ftp:, ftps:)
en.Associations=Links:
en.RemoveData=Also remove your Quay data (mail cache, settings, transfer queue) from %1?%n%nPasswords are in Windows Credential Manager and are not touched.
en.OpenDefaults=Open Windows' default apps settings to confirm Quay for these links?

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "mailto"; Description: "{cm:RegisterMailto}"; GroupDescription: "{cm:Associations}"
Name: "filelinks"; Description: "{cm:RegisterFiles}"; GroupDescription: "{cm:Associations}"

[Files]
Source: "..\..\dist\quay\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\Quay"; Filename: "{app}\{#AppExe}"; AppUserModelID: "io.github.quay.Quay"
Name: "{autodesktop}\Quay"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The application and where Windows finds it (also what "Open with" lists).
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\{#AppExe}"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Flags: uninsdeletekey

; mailto: a URL ProgID, the capabilities Windows' default-apps page shows, and the legacy mail-client key.
Root: HKA; Subkey: "Software\Classes\{#ProgMail}"; ValueType: string; ValueName: ""; ValueData: "Quay mail link"; Tasks: mailto; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgMail}"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: mailto
Root: HKA; Subkey: "Software\Classes\{#ProgMail}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: mailto
Root: HKA; Subkey: "Software\Classes\{#ProgMail}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: mailto
Root: HKA; Subkey: "Software\Clients\Mail\Quay"; ValueType: string; ValueName: ""; ValueData: "Quay"; Tasks: mailto; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Clients\Mail\Quay\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"""; Tasks: mailto
Root: HKA; Subkey: "Software\Clients\Mail\Quay\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Quay"; Tasks: mailto
Root: HKA; Subkey: "Software\Clients\Mail\Quay\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Mail and file-transfer client"; Tasks: mailto
Root: HKA; Subkey: "Software\Clients\Mail\Quay\Capabilities\URLAssociations"; ValueType: string; ValueName: "mailto"; ValueData: "{#ProgMail}"; Tasks: mailto
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Quay"; ValueData: "Software\Clients\Mail\Quay\Capabilities"; Tasks: mailto; Flags: uninsdeletevalue

; sftp:, ftp:, ftps:: one ProgID, registered as Quay's capability for each scheme.
Root: HKA; Subkey: "Software\Classes\{#ProgFiles}"; ValueType: string; ValueName: ""; ValueData: "Quay file-transfer link"; Tasks: filelinks; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgFiles}"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: filelinks
Root: HKA; Subkey: "Software\Classes\{#ProgFiles}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: filelinks
Root: HKA; Subkey: "Software\Classes\{#ProgFiles}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: filelinks
Root: HKA; Subkey: "{#AppKey}\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Quay"; Tasks: filelinks; Flags: uninsdeletekey
Root: HKA; Subkey: "{#AppKey}\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Mail and file-transfer client"; Tasks: filelinks
Root: HKA; Subkey: "{#AppKey}\Capabilities\URLAssociations"; ValueType: string; ValueName: "sftp"; ValueData: "{#ProgFiles}"; Tasks: filelinks
Root: HKA; Subkey: "{#AppKey}\Capabilities\URLAssociations"; ValueType: string; ValueName: "ftp"; ValueData: "{#ProgFiles}"; Tasks: filelinks
Root: HKA; Subkey: "{#AppKey}\Capabilities\URLAssociations"; ValueType: string; ValueName: "ftps"; ValueData: "{#ProgFiles}"; Tasks: filelinks
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Quay Files"; ValueData: "{#AppKey}\Capabilities"; Tasks: filelinks; Flags: uninsdeletevalue
; Schemes nobody else handles yet (sftp:, ftps: on a fresh Windows) point straight at Quay.
Root: HKA; Subkey: "Software\Classes\sftp"; ValueType: string; ValueName: ""; ValueData: "URL:SFTP link"; Tasks: filelinks; Flags: uninsdeletekey createvalueifdoesntexist
Root: HKA; Subkey: "Software\Classes\sftp"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: filelinks; Flags: createvalueifdoesntexist
Root: HKA; Subkey: "Software\Classes\sftp\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: filelinks; Flags: createvalueifdoesntexist
Root: HKA; Subkey: "Software\Classes\ftps"; ValueType: string; ValueName: ""; ValueData: "URL:FTPS link"; Tasks: filelinks; Flags: uninsdeletekey createvalueifdoesntexist
Root: HKA; Subkey: "Software\Classes\ftps"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: filelinks; Flags: createvalueifdoesntexist
Root: HKA; Subkey: "Software\Classes\ftps\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: filelinks; Flags: createvalueifdoesntexist

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Quay}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurStepChanged(CurStep: TSetupStep);
var
  ErrorCode: Integer;
begin
  if (CurStep = ssPostInstall) and not WizardSilent and (WizardIsTaskSelected('mailto') or WizardIsTaskSelected('filelinks')) then
    if MsgBox(CustomMessage('OpenDefaults'), mbConfirmation, MB_YESNO) = IDYES then
      ShellExec('open', 'ms-settings:defaultapps', '', '', SW_SHOWNORMAL, ewNoWait, ErrorCode);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\Quay');
    if DirExists(DataDir) and not UninstallSilent then
      if MsgBox(FmtMessage(CustomMessage('RemoveData'), [DataDir]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
