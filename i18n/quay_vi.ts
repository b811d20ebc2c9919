<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
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
    <name>MailPane</name>
    <message>
        <source>Mail</source>
        <translation>Thư</translation>
    </message>
    <message>
        <source>Your accounts:</source>
        <translation>Tài khoản của bạn:</translation>
    </message>
    <message>
        <source>Your IMAP and POP3 accounts will appear here: folders on the left, messages in the middle, the selected message on the right. Headers sync first, bodies load when you open them, and everything works offline.</source>
        <translation>Các tài khoản IMAP và POP3 của bạn sẽ hiện ở đây: thư mục bên trái, danh sách thư ở giữa, thư đang chọn bên phải. Tiêu đề được đồng bộ trước, nội dung tải về khi bạn mở thư, và mọi thứ vẫn dùng được khi ngoại tuyến.</translation>
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
</TS>
