<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name></name>
    <message>
        <source>The certificate is self-signed: nobody vouches for it but the server itself.</source>
        <translation>Chứng chỉ tự ký: không ai bảo đảm cho nó ngoài chính máy chủ.</translation>
    </message>
    <message>
        <source>The certificate has expired.</source>
        <translation>Chứng chỉ đã hết hạn.</translation>
    </message>
    <message>
        <source>The certificate is not valid yet (check this computer&apos;s clock).</source>
        <translation>Chứng chỉ chưa có hiệu lực (hãy kiểm tra đồng hồ của máy tính này).</translation>
    </message>
    <message>
        <source>The certificate was issued for another server name.</source>
        <translation>Chứng chỉ được cấp cho một tên máy chủ khác.</translation>
    </message>
    <message>
        <source>The certificate was issued by an authority this computer does not know.</source>
        <translation>Chứng chỉ do một tổ chức cấp phát mà máy tính này không biết.</translation>
    </message>
    <message>
        <source>The certificate differs from the one you chose to trust for this server.</source>
        <translation>Chứng chỉ khác với chứng chỉ bạn đã chọn tin cậy cho máy chủ này.</translation>
    </message>
    <message>
        <source>The certificate could not be verified.</source>
        <translation>Không thể xác minh chứng chỉ.</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>Untrusted certificate</source>
        <translation>Chứng chỉ không đáng tin cậy</translation>
    </message>
    <message>
        <source>The identity of %1 could not be verified</source>
        <translation>Không thể xác minh danh tính của %1</translation>
    </message>
    <message>
        <source>Someone may be impersonating the server. Trust this certificate only if you know it is the server&apos;s own, for example because its fingerprint matches the one your administrator gave you.</source>
        <translation>Có thể ai đó đang giả mạo máy chủ. Chỉ tin cậy chứng chỉ này nếu bạn biết chắc đó là chứng chỉ của chính máy chủ, ví dụ vì dấu vân tay của nó trùng với dấu vân tay quản trị viên đã đưa cho bạn.</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Chủ thể:</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>Bên cấp:</translation>
    </message>
    <message>
        <source>Host names:</source>
        <translation>Tên máy chủ:</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 đến %2</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>Hiệu lực:</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation>Dấu vân tay SHA-256</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>Dấu vân tay SHA-256:</translation>
    </message>
    <message>
        <source>&amp;Trust this certificate for this server</source>
        <translation>&amp;Tin cậy chứng chỉ này cho máy chủ này</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Huỷ</translation>
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
    <name>HostKeyChangedDialog</name>
    <message>
        <source>Server key changed — connection refused</source>
        <translation>Khoá máy chủ đã thay đổi — đã từ chối kết nối</translation>
    </message>
    <message>
        <source>WARNING: the key of %1 has changed</source>
        <translation>CẢNH BÁO: khoá của %1 đã thay đổi</translation>
    </message>
    <message>
        <source>The server presented a different key from the one Quay remembered. Someone may be intercepting the connection to read your password and files (a man-in-the-middle attack). It is also possible that the administrator reinstalled the server. Quay did not connect and sent nothing.</source>
        <translation>Máy chủ đưa ra một khoá khác với khoá Quay đã ghi nhớ. Có thể ai đó đang chặn kết nối để đọc mật khẩu và tệp của bạn (tấn công xen giữa). Cũng có thể quản trị viên đã cài lại máy chủ. Quay đã không kết nối và không gửi gì cả.</translation>
    </message>
    <message>
        <source>Key offered now:</source>
        <translation>Khoá đưa ra lần này:</translation>
    </message>
    <message>
        <source>Key remembered:</source>
        <translation>Khoá đã ghi nhớ:</translation>
    </message>
    <message>
        <source>If you have confirmed with the administrator that the key really changed, remove the old key deliberately: delete the line for %1 from Quay&apos;s known hosts file (%2), then connect again and compare the new fingerprint.</source>
        <translation>Nếu bạn đã xác nhận với quản trị viên rằng khoá thật sự đã thay đổi, hãy chủ động xoá khoá cũ: xoá dòng của %1 trong tệp máy chủ đã biết của Quay (%2), rồi kết nối lại và so sánh dấu vân tay mới.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <source>The mail link %1 cannot be used: %2</source>
        <extracomment>Schemes a launch may carry besides files (the .desktop file, Info.plist and the Windows installer register these). Qt&apos;s own command-line options that take a value (Qt reads them; they are not links or files).</extracomment>
        <translation>Không dùng được liên kết thư %1: %2</translation>
    </message>
    <message>
        <source>check the addresses in it.</source>
        <translation>hãy kiểm tra các địa chỉ trong đó.</translation>
    </message>
    <message>
        <source>Quay opens mailto:, sftp://, ftp:// and ftps:// links; %1 is not one it can use.</source>
        <translation>Quay mở được liên kết mailto:, sftp://, ftp:// và ftps://; %1 không phải là liên kết Quay dùng được.</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>Không có tệp %1.</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>Không mở được</translation>
    </message>
    <message>
        <source>Settings were reset</source>
        <translation>Cài đặt đã được đặt lại</translation>
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
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Cài đặt…</translation>
    </message>
    <message>
        <source>Language, theme, mail, files, privacy and where your data lives</source>
        <translation>Ngôn ngữ, giao diện, thư, tệp, quyền riêng tư và nơi lưu dữ liệu của bạn</translation>
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
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>C&amp;ắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Chép</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Hiện chi tiết...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Ẩn chi tiết...</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <extracomment>Qt&apos;s own strings that Qt has no Vietnamese for, translated in quay_vi.ts (see the module docstring).</extracomment>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Lưu tất cả</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Có với &amp;tất cả</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>Không với tất &amp;cả</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Huỷ bỏ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Không lưu</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Khôi phục mặc định</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>C&amp;ắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Chép</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>Chép địa chỉ &amp;liên kết</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Your settings file could not be read, so Quay started with the default settings. Your accounts, sites and messages are not affected.</source>
        <extracomment>Extra check for strings or list items; False means refused. Every setting the settings dialog edits. Other modules read them with ``settings.get(key)``.</extracomment>
        <translation>Không đọc được tệp cài đặt của bạn nên Quay đã khởi động với cài đặt mặc định. Tài khoản, máy chủ đã lưu và thư của bạn không bị ảnh hưởng.</translation>
    </message>
    <message>
        <source>The unreadable file was kept as %1.</source>
        <translation>Tệp không đọc được đã được giữ lại thành %1.</translation>
    </message>
    <message>
        <source>Some settings had values Quay cannot use and were reset to their defaults: %1</source>
        <translation>Một số cài đặt có giá trị Quay không dùng được và đã được đặt lại về mặc định: %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The default local folder must be a full path.</source>
        <translation>Thư mục cục bộ mặc định phải là đường dẫn đầy đủ.</translation>
    </message>
    <message>
        <source>The default local folder %1 does not exist.</source>
        <translation>Thư mục cục bộ mặc định %1 không tồn tại.</translation>
    </message>
    <message>
        <source>The protocol log folder must be a full path.</source>
        <translation>Thư mục nhật ký giao thức phải là đường dẫn đầy đủ.</translation>
    </message>
    <message>
        <source>The protocol log folder %1 cannot be created.</source>
        <translation>Không thể tạo thư mục nhật ký giao thức %1.</translation>
    </message>
    <message>
        <source>There is no site named %1 any more: pick another one.</source>
        <translation>Không còn máy chủ nào tên %1: hãy chọn máy chủ khác.</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>Không lưu được cài đặt: %1</translation>
    </message>
    <message>
        <source>%1 is not an e-mail address or a domain (like name@example.org or example.org).</source>
        <translation>%1 không phải là địa chỉ email hay tên miền (như ten@example.org hoặc example.org).</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Chọn thư mục</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Thông báo</translation>
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
        <source>Privacy</source>
        <translation>Quyền riêng tư</translation>
    </message>
    <message>
        <source>Your data</source>
        <translation>Dữ liệu của bạn</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Các mục cài đặt</translation>
    </message>
    <message>
        <source>Language and appearance</source>
        <translation>Ngôn ngữ và giao diện</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Khởi động</translation>
    </message>
    <message>
        <source>Show a notification for</source>
        <translation>Hiện thông báo khi có</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Đọc thư</translation>
    </message>
    <message>
        <source>Writing and checking</source>
        <translation>Soạn và kiểm tra thư</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Truyền tệp</translation>
    </message>
    <message>
        <source>Protocol logs</source>
        <translation>Nhật ký giao thức</translation>
    </message>
    <message>
        <source>Where Quay keeps your data</source>
        <translation>Nơi Quay lưu dữ liệu của bạn</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Ngôn ngữ:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Theo hệ thống</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Giao diện:</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Theo hệ thống</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Sáng</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Tối</translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation>Khởi động thu &amp;nhỏ vào khay hệ thống</translation>
    </message>
    <message>
        <source>&amp;Check for new mail at start-up</source>
        <translation>&amp;Kiểm tra thư mới khi khởi động</translation>
    </message>
    <message>
        <source>&amp;New mail</source>
        <translation>Thư &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Finished transfers</source>
        <translation>Truyền tệp &amp;xong</translation>
    </message>
    <message>
        <source>&amp;Errors</source>
        <translation>&amp;Lỗi</translation>
    </message>
    <message>
        <source>Mark messages as &amp;read after</source>
        <translation>Đánh dấu thư là &amp;đã đọc sau</translation>
    </message>
    <message>
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>ngay lập tức</translation>
    </message>
    <message>
        <source>Seconds before a message is marked as read</source>
        <translation>Số giây trước khi thư được đánh dấu là đã đọc</translation>
    </message>
    <message>
        <source>Remote &amp;content:</source>
        <translation>Nội dung từ &amp;xa:</translation>
    </message>
    <message>
        <source>Never load it</source>
        <translation>Không bao giờ tải</translation>
    </message>
    <message>
        <source>Load it for the senders below only</source>
        <translation>Chỉ tải cho những người gửi bên dưới</translation>
    </message>
    <message>
        <source>Always load it (not recommended)</source>
        <translation>Luôn tải (không khuyến nghị)</translation>
    </message>
    <message>
        <source>Remote images and styles tell the sender when and where you read a message.</source>
        <translation>Ảnh và kiểu trình bày từ xa cho người gửi biết bạn đọc thư khi nào và ở đâu.</translation>
    </message>
    <message>
        <source>Allowed &amp;senders:</source>
        <translation>Người &amp;gửi được phép:</translation>
    </message>
    <message>
        <source>Allowed senders</source>
        <translation>Người gửi được phép</translation>
    </message>
    <message>
        <source>name@example.org or example.org</source>
        <translation>ten@example.org hoặc example.org</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Thêm</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>&amp;Bỏ</translation>
    </message>
    <message>
        <source>&amp;Write messages as:</source>
        <translation>&amp;Soạn thư dạng:</translation>
    </message>
    <message>
        <source>Formatted text (HTML)</source>
        <translation>Văn bản định dạng (HTML)</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Văn bản thuần</translation>
    </message>
    <message>
        <source>Check for new mail &amp;every:</source>
        <translation>Kiểm tra thư mới &amp;mỗi:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>only when I ask</source>
        <translation>chỉ khi tôi yêu cầu</translation>
    </message>
    <message>
        <source>Offer to upload attachments &amp;larger than:</source>
        <translation>Đề nghị tải lên máy chủ các tệp đính kèm &amp;lớn hơn:</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>(do not offer)</source>
        <translation>(không đề nghị)</translation>
    </message>
    <message>
        <source>Site for large attachments</source>
        <translation>Máy chủ cho tệp đính kèm lớn</translation>
    </message>
    <message>
        <source>Default &amp;local folder:</source>
        <translation>Thư mục &amp;cục bộ mặc định:</translation>
    </message>
    <message>
        <source>Your home folder</source>
        <translation>Thư mục nhà của bạn</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Duyệt…</translation>
    </message>
    <message>
        <source>&amp;Parallel connections:</source>
        <translation>Số kết nối &amp;song song:</translation>
    </message>
    <message>
        <source>When a file &amp;exists:</source>
        <translation>Khi tệp đã &amp;có:</translation>
    </message>
    <message>
        <source>Ask me</source>
        <translation>Hỏi tôi</translation>
    </message>
    <message>
        <source>Overwrite</source>
        <translation>Ghi đè</translation>
    </message>
    <message>
        <source>Overwrite if the source is newer</source>
        <translation>Ghi đè nếu tệp nguồn mới hơn</translation>
    </message>
    <message>
        <source>Overwrite if the size differs</source>
        <translation>Ghi đè nếu kích thước khác</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Tiếp tục phần còn lại</translation>
    </message>
    <message>
        <source>Keep both (rename)</source>
        <translation>Giữ cả hai (đổi tên)</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>&amp;Giới hạn tốc độ:</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>không giới hạn</translation>
    </message>
    <message>
        <source>Keep the files&apos; modification &amp;times</source>
        <translation>Giữ nguyên &amp;thời gian sửa đổi của tệp</translation>
    </message>
    <message>
        <source>Show &amp;hidden files</source>
        <translation>Hiện tệp &amp;ẩn</translation>
    </message>
    <message>
        <source>&amp;Keep protocol logs (commands and replies)</source>
        <translation>&amp;Ghi nhật ký giao thức (lệnh và phản hồi)</translation>
    </message>
    <message>
        <source>Log &amp;folder:</source>
        <translation>&amp;Thư mục nhật ký:</translation>
    </message>
    <message>
        <source>B&amp;rowse…</source>
        <translation>D&amp;uyệt…</translation>
    </message>
    <message>
        <source>Passwords and other secrets are removed from the logs before they are written.</source>
        <translation>Mật khẩu và các thông tin bí mật khác được xoá khỏi nhật ký trước khi ghi.</translation>
    </message>
    <message>
        <source>Messages and transfers:</source>
        <translation>Thư và hàng đợi truyền tệp:</translation>
    </message>
    <message>
        <source>Settings and accounts:</source>
        <translation>Cài đặt và tài khoản:</translation>
    </message>
    <message>
        <source>Cache:</source>
        <translation>Bộ nhớ đệm:</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Mở thư mục</translation>
    </message>
    <message>
        <source>Open folder %1</source>
        <translation>Mở thư mục %1</translation>
    </message>
    <message>
        <source>Passwords are kept in the system&apos;s keyring, never in these folders.</source>
        <translation>Mật khẩu được giữ trong kho khoá của hệ thống, không bao giờ nằm trong các thư mục này.</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Quay</source>
        <translation>Quay</translation>
    </message>
    <message>
        <source>&amp;Show Quay</source>
        <translation>&amp;Hiện Quay</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
</context>
<context>
    <name>UnknownHostKeyDialog</name>
    <message>
        <source>Unknown server key</source>
        <translation>Khoá máy chủ chưa biết</translation>
    </message>
    <message>
        <source>This is the first connection to %1</source>
        <translation>Đây là lần đầu kết nối đến %1</translation>
    </message>
    <message>
        <source>Quay does not know this server&apos;s key yet. Compare the fingerprint below with the one your administrator or hosting company gives you before you accept it.</source>
        <translation>Quay chưa biết khoá của máy chủ này. Hãy so sánh dấu vân tay dưới đây với dấu vân tay do quản trị viên hoặc nhà cung cấp dịch vụ đưa cho bạn trước khi chấp nhận.</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Loại khoá:</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation>Dấu vân tay SHA-256</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Dấu vân tay:</translation>
    </message>
    <message>
        <source>Accept &amp;once</source>
        <translation>Chấp nhận &amp;một lần</translation>
    </message>
    <message>
        <source>Accept and &amp;remember</source>
        <translation>Chấp nhận và &amp;ghi nhớ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
</context>
</TS>
