<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConfirmDeleteDialog</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilesTab</name>
    <message numerus="yes">
        <source>These %n item(s) will be deleted from the server. This cannot be undone.</source>
        <translation>
            <numerusform>These %n item will be deleted from the server. This cannot be undone.</numerusform>
            <numerusform>These %n items will be deleted from the server. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>These %n item(s) will be deleted from this computer.</source>
        <translation>
            <numerusform>These %n item will be deleted from this computer.</numerusform>
            <numerusform>These %n items will be deleted from this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>After the copies succeed, these %n item(s) will be deleted. This cannot be undone.</source>
        <translation>
            <numerusform>After the copies succeed, these %n item will be deleted. This cannot be undone.</numerusform>
            <numerusform>After the copies succeed, these %n items will be deleted. This cannot be undone.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderTreeModel</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n unread</numerusform>
            <numerusform>%1, %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MailTab</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) will be deleted for good, without going to Trash:</source>
        <translation>
            <numerusform>%n message will be deleted for good, without going to Trash:</numerusform>
            <numerusform>%n messages will be deleted for good, without going to Trash:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete the folder %1 and the %n message(s) in it?</source>
        <translation>
            <numerusform>Delete the folder %1 and the %n message in it?</numerusform>
            <numerusform>Delete the folder %1 and the %n messages in it?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message numerus="yes">
        <source>%n messages</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message numerus="yes">
        <source>Remote content blocked (%n item(s)) to protect your privacy.</source>
        <translation>
            <numerusform>Remote content blocked (%n item) to protect your privacy.</numerusform>
            <numerusform>Remote content blocked (%n items) to protect your privacy.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuayTray</name>
    <message numerus="yes">
        <source>Quay — %n unread message(s)</source>
        <translation>
            <numerusform>Quay — %n unread message</numerusform>
            <numerusform>Quay — %n unread messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message numerus="yes">
        <source>%n transfer(s) left</source>
        <translation>
            <numerusform>%n transfer left</numerusform>
            <numerusform>%n transfers left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemotePane</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SiteManagerDialog</name>
    <message numerus="yes">
        <source>Delete the folder %1 and the %n site(s) in it?</source>
        <translation>
            <numerusform>Delete the folder %1 and the %n site in it?</numerusform>
            <numerusform>Delete the folder %1 and the %n sites in it?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n site(s).</source>
        <translation>
            <numerusform>Imported %n site.</numerusform>
            <numerusform>Imported %n sites.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n password(s) stored in the keyring.</source>
        <translation>
            <numerusform>%n password stored in the keyring.</numerusform>
            <numerusform>%n passwords stored in the keyring.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncPreviewDialog</name>
    <message numerus="yes">
        <source>%n action(s). Untick what should not happen.</source>
        <translation>
            <numerusform>%n action. Untick what should not happen.</numerusform>
            <numerusform>%n actions. Untick what should not happen.</numerusform>
        </translation>
    </message>
</context>
</TS>
