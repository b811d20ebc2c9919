<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Errors</name>
    <message>
        <source>Sign-in refused</source>
        <translation>Đăng nhập bị từ chối</translation>
    </message>
    <message>
        <source>{host} did not accept the user name or password.</source>
        <translation>{host} không chấp nhận tên người dùng hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>Check the user name and password in the account settings, then try again.</source>
        <translation>Hãy kiểm tra tên người dùng và mật khẩu trong phần cài đặt tài khoản rồi thử lại.</translation>
    </message>
    <message>
        <source>Password needed</source>
        <translation>Cần mật khẩu</translation>
    </message>
    <message>
        <source>There is no saved password for {user} on {host}.</source>
        <translation>Chưa có mật khẩu nào được lưu cho {user} trên {host}.</translation>
    </message>
    <message>
        <source>Enter the password. Saving it needs a system keyring such as GNOME Keyring or KWallet.</source>
        <translation>Hãy nhập mật khẩu. Muốn lưu mật khẩu thì cần một kho khoá của hệ thống như GNOME Keyring hoặc KWallet.</translation>
    </message>
    <message>
        <source>Password not sent</source>
        <translation>Chưa gửi mật khẩu</translation>
    </message>
    <message>
        <source>The connection to {host} is not encrypted: anyone on the network could read your password.</source>
        <translation>Kết nối tới {host} không được mã hoá: bất kỳ ai trên mạng cũng có thể đọc được mật khẩu của bạn.</translation>
    </message>
    <message>
        <source>Choose TLS or STARTTLS in the settings. Only if you trust every network in between, allow unencrypted passwords for this account.</source>
        <translation>Hãy chọn TLS hoặc STARTTLS trong phần cài đặt. Chỉ khi bạn tin cậy mọi mạng ở giữa, mới cho phép gửi mật khẩu không mã hoá cho tài khoản này.</translation>
    </message>
    <message>
        <source>Cannot reach the server</source>
        <translation>Không kết nối được tới máy chủ</translation>
    </message>
    <message>
        <source>The connection to {host} failed or was interrupted.</source>
        <translation>Kết nối tới {host} bị lỗi hoặc bị ngắt.</translation>
    </message>
    <message>
        <source>Check your network connection, the server name and the port, then try again.</source>
        <translation>Hãy kiểm tra kết nối mạng, tên máy chủ và cổng rồi thử lại.</translation>
    </message>
    <message>
        <source>Maybe sent</source>
        <translation>Có thể đã gửi</translation>
    </message>
    <message>
        <source>The connection broke while the message was being handed to {host}; it may or may not have been accepted.</source>
        <translation>Kết nối bị đứt khi đang chuyển thư cho {host}; thư có thể đã được nhận hoặc chưa.</translation>
    </message>
    <message>
        <source>Check whether it arrived before you send it again.</source>
        <translation>Hãy kiểm tra xem thư đã tới chưa trước khi gửi lại.</translation>
    </message>
    <message>
        <source>Secure connection failed</source>
        <translation>Không thiết lập được kết nối an toàn</translation>
    </message>
    <message>
        <source>The secure connection to {host} could not be set up: {reason}.</source>
        <translation>Không thể thiết lập kết nối an toàn tới {host}: {reason}.</translation>
    </message>
    <message>
        <source>Try again later; if it keeps failing, ask the server&apos;s administrator.</source>
        <translation>Hãy thử lại sau; nếu vẫn lỗi, hãy hỏi người quản trị máy chủ.</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Chứng chỉ không đáng tin cậy</translation>
    </message>
    <message>
        <source>The certificate of {host} is not trusted ({reason}). Its SHA-256 fingerprint is {fingerprint}, issued by {issuer}, valid until {not_after}.</source>
        <translation>Chứng chỉ của {host} không được tin cậy ({reason}). Dấu vân tay SHA-256 của nó là {fingerprint}, do {issuer} cấp, có hiệu lực đến {not_after}.</translation>
    </message>
    <message>
        <source>Accept it only if this fingerprint matches the one your provider publishes. Otherwise someone may be intercepting the connection.</source>
        <translation>Chỉ chấp nhận nếu dấu vân tay này khớp với dấu vân tay nhà cung cấp của bạn công bố. Nếu không, có thể ai đó đang chặn kết nối.</translation>
    </message>
    <message>
        <source>Encryption not offered</source>
        <translation>Máy chủ không đề nghị mã hoá</translation>
    </message>
    <message>
        <source>{host} did not offer to encrypt the connection, which this account requires. Someone may be removing it from the connection.</source>
        <translation>{host} không đề nghị mã hoá kết nối, trong khi tài khoản này yêu cầu mã hoá. Có thể ai đó đang gỡ bỏ nó khỏi kết nối.</translation>
    </message>
    <message>
        <source>Nothing was sent. Try again on another network, or ask the server&apos;s administrator.</source>
        <translation>Chưa có gì được gửi đi. Hãy thử lại trên một mạng khác, hoặc hỏi người quản trị máy chủ.</translation>
    </message>
    <message>
        <source>The server refused</source>
        <translation>Máy chủ từ chối</translation>
    </message>
    <message>
        <source>{host} answered: {reply}</source>
        <translation>{host} trả lời: {reply}</translation>
    </message>
    <message>
        <source>The server&apos;s answer often says what to change.</source>
        <translation>Câu trả lời của máy chủ thường cho biết cần thay đổi gì.</translation>
    </message>
    <message>
        <source>Unexpected answer from the server</source>
        <translation>Máy chủ trả lời bất thường</translation>
    </message>
    <message>
        <source>{host} sent something Quay could not understand.</source>
        <translation>{host} đã gửi dữ liệu mà Quay không hiểu được.</translation>
    </message>
    <message>
        <source>Try again later. If it keeps happening, the protocol log shows the exchange.</source>
        <translation>Hãy thử lại sau. Nếu lỗi vẫn lặp lại, nhật ký giao thức sẽ cho thấy nội dung trao đổi.</translation>
    </message>
    <message>
        <source>Message too large</source>
        <translation>Thư quá lớn</translation>
    </message>
    <message>
        <source>The message is larger than {host} accepts.</source>
        <translation>Thư lớn hơn mức {host} chấp nhận.</translation>
    </message>
    <message>
        <source>Remove or shrink attachments, or share large files as a link.</source>
        <translation>Hãy bỏ bớt hoặc thu nhỏ tệp đính kèm, hoặc chia sẻ tệp lớn dưới dạng liên kết.</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>Chưa gửi được</translation>
    </message>
    <message>
        <source>{host} asked to try again later: {reply}</source>
        <translation>{host} yêu cầu thử lại sau: {reply}</translation>
    </message>
    <message>
        <source>Quay will try again by itself.</source>
        <translation>Quay sẽ tự động thử lại.</translation>
    </message>
    <message>
        <source>Message refused</source>
        <translation>Thư bị từ chối</translation>
    </message>
    <message>
        <source>{host} refused the message: {reply}</source>
        <translation>{host} từ chối thư: {reply}</translation>
    </message>
    <message>
        <source>Check the recipients and the content; sending it again unchanged will not help.</source>
        <translation>Hãy kiểm tra người nhận và nội dung; gửi lại y nguyên sẽ không có tác dụng.</translation>
    </message>
    <message>
        <source>Recipients refused</source>
        <translation>Người nhận bị từ chối</translation>
    </message>
    <message>
        <source>{host} refused every recipient: {reply}</source>
        <translation>{host} từ chối tất cả người nhận: {reply}</translation>
    </message>
    <message>
        <source>Check the addresses.</source>
        <translation>Hãy kiểm tra lại các địa chỉ.</translation>
    </message>
    <message>
        <source>Address not supported</source>
        <translation>Địa chỉ không được hỗ trợ</translation>
    </message>
    <message>
        <source>{host} cannot send to addresses with non-Latin characters.</source>
        <translation>{host} không gửi được tới địa chỉ có ký tự ngoài bảng chữ Latin.</translation>
    </message>
    <message>
        <source>Use the plain-Latin form of the address if there is one.</source>
        <translation>Hãy dùng dạng địa chỉ chỉ gồm chữ Latin nếu có.</translation>
    </message>
    <message>
        <source>Cannot use a local file</source>
        <translation>Không dùng được tệp trên máy</translation>
    </message>
    <message>
        <source>Reading or writing {path} failed.</source>
        <translation>Đọc hoặc ghi {path} không thành công.</translation>
    </message>
    <message>
        <source>Check that the disk is not full and that you may write there.</source>
        <translation>Hãy kiểm tra ổ đĩa chưa đầy và bạn có quyền ghi vào đó.</translation>
    </message>
    <message>
        <source>Unsafe file name refused</source>
        <translation>Đã từ chối tên tệp không an toàn</translation>
    </message>
    <message>
        <source>The server offered a name that would be saved outside the folder you chose: {path}</source>
        <translation>Máy chủ đưa ra một tên tệp sẽ bị lưu ra ngoài thư mục bạn đã chọn: {path}</translation>
    </message>
    <message>
        <source>Nothing was written there. The server may be misconfigured or hostile.</source>
        <translation>Không có gì được ghi vào đó. Máy chủ có thể bị cấu hình sai hoặc có ý đồ xấu.</translation>
    </message>
    <message>
        <source>Address not usable</source>
        <translation>Không dùng được địa chỉ này</translation>
    </message>
    <message>
        <source>The address {url} cannot be used.</source>
        <translation>Không thể dùng địa chỉ {url}.</translation>
    </message>
    <message>
        <source>Addresses look like imaps://user@host or sftp://user@host/folder.</source>
        <translation>Địa chỉ có dạng imaps://user@host hoặc sftp://user@host/folder.</translation>
    </message>
    <message>
        <source>Unknown connection security</source>
        <translation>Kiểu bảo mật kết nối không xác định</translation>
    </message>
    <message>
        <source>“{value}” is not a connection security Quay knows, so the connection was not made.</source>
        <translation>“{value}” không phải là kiểu bảo mật kết nối mà Quay biết, nên kết nối đã không được thực hiện.</translation>
    </message>
    <message>
        <source>Choose TLS, STARTTLS or none in the settings.</source>
        <translation>Hãy chọn TLS, STARTTLS hoặc không mã hoá trong phần cài đặt.</translation>
    </message>
    <message>
        <source>Settings incomplete</source>
        <translation>Cài đặt chưa đầy đủ</translation>
    </message>
    <message>
        <source>The settings of {record} cannot be used as they are.</source>
        <translation>Không thể dùng cài đặt hiện tại của {record}.</translation>
    </message>
    <message>
        <source>Open the settings and complete them.</source>
        <translation>Hãy mở phần cài đặt và điền đầy đủ.</translation>
    </message>
    <message>
        <source>Not a fingerprint</source>
        <translation>Không phải dấu vân tay</translation>
    </message>
    <message>
        <source>A certificate fingerprint is 64 hexadecimal digits.</source>
        <translation>Dấu vân tay của chứng chỉ gồm 64 chữ số thập lục phân.</translation>
    </message>
    <message>
        <source>Copy it again, exactly.</source>
        <translation>Hãy sao chép lại cho chính xác.</translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation>Không có kho khoá</translation>
    </message>
    <message>
        <source>No system keyring is available, so passwords cannot be saved.</source>
        <translation>Hệ thống không có kho khoá nào, nên không thể lưu mật khẩu.</translation>
    </message>
    <message>
        <source>Passwords will be asked for each session. Install or unlock a keyring such as GNOME Keyring or KWallet to save them.</source>
        <translation>Mật khẩu sẽ được hỏi mỗi phiên. Hãy cài đặt hoặc mở khoá một kho khoá như GNOME Keyring hoặc KWallet để lưu mật khẩu.</translation>
    </message>
    <message>
        <source>New server key</source>
        <translation>Khoá máy chủ mới</translation>
    </message>
    <message>
        <source>Quay has not connected to {host} before. Its {key_type} key has the fingerprint {fingerprint}.</source>
        <translation>Quay chưa từng kết nối tới {host}. Khoá {key_type} của máy chủ có dấu vân tay {fingerprint}.</translation>
    </message>
    <message>
        <source>Accept it only if this fingerprint matches the one the server&apos;s administrator gave you.</source>
        <translation>Chỉ chấp nhận nếu dấu vân tay này khớp với dấu vân tay người quản trị máy chủ đã đưa cho bạn.</translation>
    </message>
    <message>
        <source>SERVER KEY CHANGED: connection refused</source>
        <translation>KHOÁ MÁY CHỦ ĐÃ THAY ĐỔI: đã từ chối kết nối</translation>
    </message>
    <message>
        <source>{host} presented the {key_type} key {fingerprint}, but Quay knows it by the {known_type} key {known_fingerprint}. Someone may be intercepting the connection.</source>
        <translation>{host} đưa ra khoá {key_type} {fingerprint}, nhưng Quay biết máy chủ này qua khoá {known_type} {known_fingerprint}. Có thể ai đó đang chặn kết nối.</translation>
    </message>
    <message>
        <source>Do not continue. Ask the server&apos;s administrator whether the key really changed; only then remove the old key in the site settings.</source>
        <translation>Đừng tiếp tục. Hãy hỏi người quản trị máy chủ xem khoá có thật sự thay đổi không; chỉ khi đó mới xoá khoá cũ trong phần cài đặt máy chủ.</translation>
    </message>
    <message>
        <source>Revoked server key: connection refused</source>
        <translation>Khoá máy chủ đã bị thu hồi: đã từ chối kết nối</translation>
    </message>
    <message>
        <source>{host} presented the key {fingerprint}, which is marked as revoked.</source>
        <translation>{host} đưa ra khoá {fingerprint}, là khoá đã được đánh dấu thu hồi.</translation>
    </message>
    <message>
        <source>Do not connect. Tell the server&apos;s administrator.</source>
        <translation>Đừng kết nối. Hãy báo cho người quản trị máy chủ.</translation>
    </message>
    <message>
        <source>Not supported</source>
        <translation>Không được hỗ trợ</translation>
    </message>
    <message>
        <source>This server or protocol cannot do that.</source>
        <translation>Máy chủ hoặc giao thức này không làm được việc đó.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã huỷ</translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation>Thao tác đã bị huỷ.</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Đã xảy ra lỗi</translation>
    </message>
    <message>
        <source>The operation did not complete.</source>
        <translation>Thao tác chưa hoàn tất.</translation>
    </message>
    <message>
        <source>The details below say why.</source>
        <translation>Chi tiết bên dưới cho biết lý do.</translation>
    </message>
    <message>
        <source>Something went wrong inside Quay</source>
        <translation>Đã xảy ra lỗi bên trong Quay</translation>
    </message>
    <message>
        <source>This is a fault in Quay, not in your settings or on the server.</source>
        <translation>Đây là lỗi của Quay, không phải do cài đặt của bạn hay do máy chủ.</translation>
    </message>
    <message>
        <source>Please report it, with the details below.</source>
        <translation>Vui lòng báo lỗi này, kèm theo chi tiết bên dưới.</translation>
    </message>
    <message>
        <source>the server</source>
        <translation>máy chủ</translation>
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
