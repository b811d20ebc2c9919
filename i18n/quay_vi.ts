<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name></name>
    <message>
        <source>The certificate is self-signed: nobody vouches for it but the server itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate has expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate is not valid yet (check this computer&apos;s clock).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate was issued for another server name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate was issued by an authority this computer does not know.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate differs from the one you chose to trust for this server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate could not be verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every account for new mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a new message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to the sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to the sender and all recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward as attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward the whole message as a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected messages to Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete permanently</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete without Trash (asks first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Star</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Star or unstar the selected messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark read/unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toggle the read state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the Archive folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Junk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the Junk folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the next unread message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the last move or delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the quick filter bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threaded view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group messages into conversations in this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classic layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message list above the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wide layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message list beside the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show running, failed and queued work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search: words, from:, to:, subject:, has:attachment, is:unread…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this search as a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending operations and tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail toolbar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>Untrusted certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The identity of %1 could not be verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone may be impersonating the server. Trust this certificate only if you know it is the server&apos;s own, for example because its fingerprint matches the one your administrator gave you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host names:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust this certificate for this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilesPane</name>
    <message>
        <source>Files</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Your sites:</source>
        <translation>Máy chủ đã lưu:</translation>
    </message>
    <message>
        <source>A dual-pane browser for FTP, FTPS, SFTP and TFTP sites will appear here: your computer on the left, the server on the right, and a transfer queue below.</source>
        <translation>Trình duyệt hai ngăn cho các máy chủ FTP, FTPS, SFTP và TFTP sẽ hiện ở đây: máy tính của bạn bên trái, máy chủ bên phải và hàng đợi truyền tệp bên dưới.</translation>
    </message>
</context>
<context>
    <name>FolderTreeModel</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HostKeyChangedDialog</name>
    <message>
        <source>Server key changed — connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the key of %1 has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server presented a different key from the one Quay remembered. Someone may be intercepting the connection to read your password and files (a man-in-the-middle attack). It is also possible that the administrator reinstalled the server. Quay did not connect and sent nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key offered now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key remembered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you have confirmed with the administrator that the key really changed, remove the old key deliberately: delete the line for %1 from Quay&apos;s known hosts file (%2), then connect again and compare the new fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MailTab</name>
    <message>
        <source>Local Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message has not been downloaded yet and the server cannot be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete permanently?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) will be deleted for good, without going to Trash:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete permanently</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account has no %1 folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the saved search:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the unified Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete saved search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete folder?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete the folder %1 and the %n message(s) in it?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Offline: %1. Changes are kept and sent later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Quay — mail and files</source>
        <translation>Quay — thư và tệp</translation>
    </message>
    <message>
        <source>Mail</source>
        <translation>Thư</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Mail</source>
        <translation>&amp;Thư</translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation>T&amp;ệp</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Theo hệ thống</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About Quay</source>
        <translation>&amp;Giới thiệu Quay</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>About Quay</source>
        <translation>Giới thiệu Quay</translation>
    </message>
    <message>
        <source>%1 %2
A fast, safe mail and file-transfer client.</source>
        <translation>%1 %2
Ứng dụng thư điện tử và truyền tệp nhanh, an toàn.</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>Starred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n messages</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Found on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has attachments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>No message selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML is shown in the simple view because the web engine could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always for this sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View &amp;source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as .&amp;eml…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print to PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;all attachments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search messages from</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remote content blocked (%n item(s)) to protect your privacy.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link goes to:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message shows it as: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save attachments to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print to PDF</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProtocolLogWindow</name>
    <message>
        <source>Protocol log — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords and other secrets are never shown here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to be sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnknownHostKeyDialog</name>
    <message>
        <source>Unknown server key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the first connection to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quay does not know this server&apos;s key yet. Compare the fingerprint below with the one your administrator or hosting company gives you before you accept it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept &amp;once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept and &amp;remember</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
