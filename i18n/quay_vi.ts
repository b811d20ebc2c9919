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
        <translation>Chứng chỉ do một tổ chức mà máy tính này không biết cấp.</translation>
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
        <translation>Chứng chỉ không được tin cậy</translation>
    </message>
    <message>
        <source>The identity of %1 could not be verified</source>
        <translation>Không thể xác minh danh tính của %1</translation>
    </message>
    <message>
        <source>Someone may be impersonating the server. Trust this certificate only if you know it is the server&apos;s own, for example because its fingerprint matches the one your administrator gave you.</source>
        <translation>Có thể ai đó đang giả mạo máy chủ. Chỉ tin cậy chứng chỉ này nếu bạn biết chắc nó là của máy chủ, chẳng hạn vì dấu vân tay của nó khớp với dấu vân tay quản trị viên đã đưa cho bạn.</translation>
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
        <translation>Tổ chức cấp:</translation>
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
        <translation>Hủy</translation>
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
        <translation>
            <numerusform>%1, %n chưa đọc</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HostKeyChangedDialog</name>
    <message>
        <source>Server key changed — connection refused</source>
        <translation>Khóa máy chủ đã thay đổi — đã từ chối kết nối</translation>
    </message>
    <message>
        <source>WARNING: the key of %1 has changed</source>
        <translation>CẢNH BÁO: khóa của %1 đã thay đổi</translation>
    </message>
    <message>
        <source>The server presented a different key from the one Quay remembered. Someone may be intercepting the connection to read your password and files (a man-in-the-middle attack). It is also possible that the administrator reinstalled the server. Quay did not connect and sent nothing.</source>
        <translation>Máy chủ đưa ra một khóa khác với khóa Quay đã ghi nhớ. Có thể ai đó đang chặn kết nối để đọc mật khẩu và tệp của bạn (tấn công xen giữa). Cũng có thể quản trị viên đã cài lại máy chủ. Quay đã không kết nối và không gửi gì.</translation>
    </message>
    <message>
        <source>Key offered now:</source>
        <translation>Khóa đưa ra lúc này:</translation>
    </message>
    <message>
        <source>Key remembered:</source>
        <translation>Khóa đã ghi nhớ:</translation>
    </message>
    <message>
        <source>If you have confirmed with the administrator that the key really changed, remove the old key deliberately: delete the line for %1 from Quay&apos;s known hosts file (%2), then connect again and compare the new fingerprint.</source>
        <translation>Nếu bạn đã xác nhận với quản trị viên rằng khóa thật sự đã đổi, hãy chủ động xóa khóa cũ: xóa dòng của %1 trong tệp máy chủ đã biết của Quay (%2), rồi kết nối lại và so sánh dấu vân tay mới.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>MailBackend</name>
    <message>
        <source>No password is saved for this account.</source>
        <translation>Chưa lưu mật khẩu cho tài khoản này.</translation>
    </message>
    <message>
        <source>Syncing %1</source>
        <translation>Đang đồng bộ %1</translation>
    </message>
    <message>
        <source>Syncing %1: %2 of %3</source>
        <translation>Đang đồng bộ %1: %2 / %3</translation>
    </message>
    <message>
        <source>Sending changes to %1</source>
        <translation>Đang gửi thay đổi lên %1</translation>
    </message>
    <message>
        <source>This message is not in the cache.</source>
        <translation>Thư này không có trong bộ nhớ đệm.</translation>
    </message>
    <message>
        <source>Downloading a message</source>
        <translation>Đang tải một thư</translation>
    </message>
    <message>
        <source>Searching on %1</source>
        <translation>Đang tìm trên %1</translation>
    </message>
    <message>
        <source>Changing flags</source>
        <translation>Đang đổi cờ</translation>
    </message>
    <message>
        <source>Undo move</source>
        <translation>Hoàn tác di chuyển</translation>
    </message>
    <message>
        <source>Copying messages</source>
        <translation>Đang sao chép thư</translation>
    </message>
    <message>
        <source>Moving messages</source>
        <translation>Đang di chuyển thư</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>Hoàn tác xóa</translation>
    </message>
    <message>
        <source>Deleting messages</source>
        <translation>Đang xóa thư</translation>
    </message>
    <message>
        <source>Creating folder %1</source>
        <translation>Đang tạo thư mục %1</translation>
    </message>
    <message>
        <source>Renaming folder %1</source>
        <translation>Đang đổi tên thư mục %1</translation>
    </message>
    <message>
        <source>Deleting folder %1</source>
        <translation>Đang xóa thư mục %1</translation>
    </message>
</context>
<context>
    <name>MailErrors</name>
    <message>
        <source>Sign-in refused</source>
        <translation>Đăng nhập bị từ chối</translation>
    </message>
    <message>
        <source>The server did not accept the user name or password. Check them in the account settings, then retry.</source>
        <translation>Máy chủ không chấp nhận tên người dùng hoặc mật khẩu. Hãy kiểm tra trong phần cài đặt tài khoản rồi thử lại.</translation>
    </message>
    <message>
        <source>Connection not secure</source>
        <translation>Kết nối không an toàn</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified, so nothing was sent. Check the certificate before trusting it.</source>
        <translation>Không thể xác minh chứng chỉ của máy chủ nên chưa gửi gì. Hãy kiểm tra chứng chỉ trước khi tin cậy nó.</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>The server cannot be reached. Your changes are kept and sent when the connection is back.</source>
        <translation>Không kết nối được máy chủ. Các thay đổi của bạn được giữ lại và sẽ gửi khi có kết nối trở lại.</translation>
    </message>
    <message>
        <source>Unexpected answer from the server</source>
        <translation>Máy chủ trả lời bất thường</translation>
    </message>
    <message>
        <source>The server sent something Quay does not understand. The protocol log has the details.</source>
        <translation>Máy chủ gửi dữ liệu mà Quay không hiểu. Nhật ký giao thức có chi tiết.</translation>
    </message>
    <message>
        <source>The server refused</source>
        <translation>Máy chủ từ chối</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Máy chủ trả lời: %1</translation>
    </message>
    <message>
        <source>Unsafe file name</source>
        <translation>Tên tệp không an toàn</translation>
    </message>
    <message>
        <source>The name would have been written outside the chosen folder.</source>
        <translation>Tên này sẽ khiến tệp bị ghi ra ngoài thư mục đã chọn.</translation>
    </message>
    <message>
        <source>Cannot write here</source>
        <translation>Không ghi được vào đây</translation>
    </message>
    <message>
        <source>Check the free space and permissions of the folder.</source>
        <translation>Hãy kiểm tra dung lượng trống và quyền của thư mục.</translation>
    </message>
    <message>
        <source>Message not downloaded</source>
        <translation>Thư chưa được tải về</translation>
    </message>
    <message>
        <source>The whole message must be downloaded before it can leave its account. Connect and try again.</source>
        <translation>Phải tải toàn bộ thư về trước khi chuyển nó ra khỏi tài khoản. Hãy kết nối rồi thử lại.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation>Thao tác đã bị hủy.</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>Lỗi nội bộ</translation>
    </message>
    <message>
        <source>Something went wrong inside Quay. Please report it.</source>
        <translation>Đã có lỗi bên trong Quay. Vui lòng báo lỗi này.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
</context>
<context>
    <name>MailTab</name>
    <message>
        <source>Local Folders</source>
        <translation>Thư mục cục bộ</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Hộp thư đến</translation>
    </message>
    <message>
        <source>Saved searches</source>
        <translation>Tìm kiếm đã lưu</translation>
    </message>
    <message>
        <source>Unified Inbox</source>
        <translation>Hộp thư đến chung</translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation>Chưa chọn thư nào</translation>
    </message>
    <message>
        <source>Loading the message…</source>
        <translation>Đang tải thư…</translation>
    </message>
    <message>
        <source>This message has not been downloaded yet and the server cannot be reached.</source>
        <translation>Thư này chưa được tải về và hiện không kết nối được máy chủ.</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… và %n thư nữa</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete permanently?</source>
        <translation>Xóa vĩnh viễn?</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) will be deleted for good, without going to Trash:</source>
        <translation>
            <numerusform>%n thư sẽ bị xóa hẳn, không qua Thùng rác:</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete permanently</source>
        <translation>Xóa vĩnh viễn</translation>
    </message>
    <message>
        <source>This account has no %1 folder.</source>
        <translation>Tài khoản này không có thư mục %1.</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Không có gì để hoàn tác.</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Lưu tìm kiếm</translation>
    </message>
    <message>
        <source>Name of the saved search:</source>
        <translation>Tên của tìm kiếm đã lưu:</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>Di chuyển đến</translation>
    </message>
    <message>
        <source>Copy to</source>
        <translation>Sao chép đến</translation>
    </message>
    <message>
        <source>Get messages</source>
        <translation>Nhận thư</translation>
    </message>
    <message>
        <source>Check every account for new mail</source>
        <translation>Kiểm tra thư mới ở mọi tài khoản</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Soạn thư</translation>
    </message>
    <message>
        <source>Write a new message</source>
        <translation>Soạn một thư mới</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Trả lời</translation>
    </message>
    <message>
        <source>Reply to the sender</source>
        <translation>Trả lời người gửi</translation>
    </message>
    <message>
        <source>Reply all</source>
        <translation>Trả lời tất cả</translation>
    </message>
    <message>
        <source>Reply to the sender and all recipients</source>
        <translation>Trả lời người gửi và mọi người nhận</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Chuyển tiếp</translation>
    </message>
    <message>
        <source>Forward the message</source>
        <translation>Chuyển tiếp thư</translation>
    </message>
    <message>
        <source>Forward as attachment</source>
        <translation>Chuyển tiếp dạng tệp đính kèm</translation>
    </message>
    <message>
        <source>Forward the whole message as a file</source>
        <translation>Chuyển tiếp cả thư dưới dạng tệp</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Move the selected messages to Trash</source>
        <translation>Chuyển các thư đã chọn vào Thùng rác</translation>
    </message>
    <message>
        <source>Delete without Trash (asks first)</source>
        <translation>Xóa không qua Thùng rác (hỏi trước)</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>Gắn sao</translation>
    </message>
    <message>
        <source>Star or unstar the selected messages</source>
        <translation>Gắn hoặc bỏ sao các thư đã chọn</translation>
    </message>
    <message>
        <source>Mark read/unread</source>
        <translation>Đánh dấu đã đọc/chưa đọc</translation>
    </message>
    <message>
        <source>Toggle the read state</source>
        <translation>Đổi trạng thái đã đọc</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Lưu trữ</translation>
    </message>
    <message>
        <source>Move to the Archive folder</source>
        <translation>Chuyển vào thư mục Lưu trữ</translation>
    </message>
    <message>
        <source>Junk</source>
        <translation>Thư rác</translation>
    </message>
    <message>
        <source>Move to the Junk folder</source>
        <translation>Chuyển vào thư mục Thư rác</translation>
    </message>
    <message>
        <source>Next unread</source>
        <translation>Thư chưa đọc kế tiếp</translation>
    </message>
    <message>
        <source>Go to the next unread message</source>
        <translation>Đến thư chưa đọc kế tiếp</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Undo the last move or delete</source>
        <translation>Hoàn tác lần di chuyển hoặc xóa gần nhất</translation>
    </message>
    <message>
        <source>Quick filter</source>
        <translation>Lọc nhanh</translation>
    </message>
    <message>
        <source>Show or hide the quick filter bar</source>
        <translation>Hiện hoặc ẩn thanh lọc nhanh</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Tìm thư</translation>
    </message>
    <message>
        <source>Threaded view</source>
        <translation>Xem theo chuỗi thư</translation>
    </message>
    <message>
        <source>Group messages into conversations in this folder</source>
        <translation>Gộp thư thành các cuộc hội thoại trong thư mục này</translation>
    </message>
    <message>
        <source>Classic layout</source>
        <translation>Bố cục cổ điển</translation>
    </message>
    <message>
        <source>Message list above the message</source>
        <translation>Danh sách thư nằm trên nội dung thư</translation>
    </message>
    <message>
        <source>Wide layout</source>
        <translation>Bố cục rộng</translation>
    </message>
    <message>
        <source>Message list beside the message</source>
        <translation>Danh sách thư nằm cạnh nội dung thư</translation>
    </message>
    <message>
        <source>Show running, failed and queued work</source>
        <translation>Hiện các việc đang chạy, bị lỗi và đang chờ</translation>
    </message>
    <message>
        <source>Search: words, from:, to:, subject:, has:attachment, is:unread…</source>
        <translation>Tìm: từ khóa, from:, to:, subject:, has:attachment, is:unread…</translation>
    </message>
    <message>
        <source>This folder</source>
        <translation>Thư mục này</translation>
    </message>
    <message>
        <source>This account</source>
        <translation>Tài khoản này</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Mọi tài khoản</translation>
    </message>
    <message>
        <source>Search scope</source>
        <translation>Phạm vi tìm kiếm</translation>
    </message>
    <message>
        <source>Save this search as a folder</source>
        <translation>Lưu tìm kiếm này thành một thư mục</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Chưa đọc</translation>
    </message>
    <message>
        <source>Starred</source>
        <translation>Có sao</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>From a contact…</source>
        <translation>Từ một liên hệ…</translation>
    </message>
    <message>
        <source>Filter by sender</source>
        <translation>Lọc theo người gửi</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Thư</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nội dung thư</translation>
    </message>
    <message>
        <source>Pending operations and tasks</source>
        <translation>Thao tác đang chờ và các việc</translation>
    </message>
    <message>
        <source>Mail toolbar</source>
        <translation>Thanh công cụ thư</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>New folder…</source>
        <translation>Thư mục mới…</translation>
    </message>
    <message>
        <source>Protocol log</source>
        <translation>Nhật ký giao thức</translation>
    </message>
    <message>
        <source>Account settings…</source>
        <translation>Cài đặt tài khoản…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Delete folder…</source>
        <translation>Xóa thư mục…</translation>
    </message>
    <message>
        <source>Hide the unified Inbox</source>
        <translation>Ẩn Hộp thư đến chung</translation>
    </message>
    <message>
        <source>Delete saved search</source>
        <translation>Xóa tìm kiếm đã lưu</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>Thư mục mới</translation>
    </message>
    <message>
        <source>Folder name:</source>
        <translation>Tên thư mục:</translation>
    </message>
    <message>
        <source>Rename folder</source>
        <translation>Đổi tên thư mục</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <source>Delete folder?</source>
        <translation>Xóa thư mục?</translation>
    </message>
    <message numerus="yes">
        <source>Delete the folder %1 and the %n message(s) in it?</source>
        <translation>
            <numerusform>Xóa thư mục %1 và %n thư trong đó?</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline: %1. Changes are kept and sent later.</source>
        <translation>Ngoại tuyến: %1. Các thay đổi được giữ lại và gửi sau.</translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>Cần xử lý: %1</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Đã cập nhật</translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n đang chờ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n bị lỗi</numerusform>
        </translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Công việc</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>Mật khẩu cho %1:</translation>
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
        <translation>Có sao</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Đã đọc</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(không có chủ đề)</translation>
    </message>
    <message numerus="yes">
        <source>%n messages</source>
        <translation>
            <numerusform>%n thư</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n chưa đọc</numerusform>
        </translation>
    </message>
    <message>
        <source>Found on the server</source>
        <translation>Tìm thấy trên máy chủ</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>Từ %1</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>read</source>
        <translation>đã đọc</translation>
    </message>
    <message>
        <source>starred</source>
        <translation>có sao</translation>
    </message>
    <message>
        <source>has attachments</source>
        <translation>có tệp đính kèm</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>No message selected</source>
        <translation>Chưa chọn thư nào</translation>
    </message>
    <message>
        <source>HTML is shown in the simple view because the web engine could not start: %1</source>
        <translation>HTML được hiển thị ở chế độ xem đơn giản vì không khởi động được trình duyệt nhúng: %1</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Từ:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Đến:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Load once</source>
        <translation>Tải một lần</translation>
    </message>
    <message>
        <source>Always for this sender</source>
        <translation>Luôn tải với người gửi này</translation>
    </message>
    <message>
        <source>View &amp;source</source>
        <translation>Xem &amp;mã nguồn</translation>
    </message>
    <message>
        <source>Save as .&amp;eml…</source>
        <translation>Lưu thành .&amp;eml…</translation>
    </message>
    <message>
        <source>&amp;Print to PDF…</source>
        <translation>&amp;In ra PDF…</translation>
    </message>
    <message>
        <source>Save &amp;all attachments…</source>
        <translation>Lưu &amp;mọi tệp đính kèm…</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Message header</source>
        <translation>Phần đầu thư</translation>
    </message>
    <message>
        <source>Message body</source>
        <translation>Nội dung thư</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(không có chủ đề)</translation>
    </message>
    <message>
        <source>attachment</source>
        <translation>tệp đính kèm</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Write to</source>
        <translation>Viết thư cho</translation>
    </message>
    <message>
        <source>Search messages from</source>
        <translation>Tìm thư từ người này</translation>
    </message>
    <message numerus="yes">
        <source>Remote content blocked (%n item(s)) to protect your privacy.</source>
        <translation>
            <numerusform>Đã chặn nội dung từ xa (%n mục) để bảo vệ quyền riêng tư của bạn.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation>Mở liên kết?</translation>
    </message>
    <message>
        <source>This link goes to:
%1</source>
        <translation>Liên kết này dẫn đến:
%1</translation>
    </message>
    <message>
        <source>The message shows it as: %1</source>
        <translation>Thư hiển thị nó là: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Lưu…</translation>
    </message>
    <message>
        <source>Save attachments to</source>
        <translation>Lưu tệp đính kèm vào</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>Lưu tệp đính kèm</translation>
    </message>
    <message>
        <source>Message source</source>
        <translation>Mã nguồn thư</translation>
    </message>
    <message>
        <source>Save message</source>
        <translation>Lưu thư</translation>
    </message>
    <message>
        <source>Print to PDF</source>
        <translation>In ra PDF</translation>
    </message>
</context>
<context>
    <name>ProtocolLogWindow</name>
    <message>
        <source>Protocol log — %1</source>
        <translation>Nhật ký giao thức — %1</translation>
    </message>
    <message>
        <source>Passwords and other secrets are never shown here.</source>
        <translation>Mật khẩu và các bí mật khác không bao giờ hiện ở đây.</translation>
    </message>
    <message>
        <source>Protocol log</source>
        <translation>Nhật ký giao thức</translation>
    </message>
    <message>
        <source>&amp;Copy all</source>
        <translation>&amp;Sao chép tất cả</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Xóa trắng</translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <source>Task</source>
        <translation>Công việc</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Công việc</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Thử lại</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Đang chạy</translation>
    </message>
    <message>
        <source>Waiting to be sent: %1</source>
        <translation>Đang chờ gửi: %1</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Đang chờ</translation>
    </message>
</context>
<context>
    <name>UnknownHostKeyDialog</name>
    <message>
        <source>Unknown server key</source>
        <translation>Khóa máy chủ chưa biết</translation>
    </message>
    <message>
        <source>This is the first connection to %1</source>
        <translation>Đây là lần kết nối đầu tiên đến %1</translation>
    </message>
    <message>
        <source>Quay does not know this server&apos;s key yet. Compare the fingerprint below with the one your administrator or hosting company gives you before you accept it.</source>
        <translation>Quay chưa biết khóa của máy chủ này. Hãy so sánh dấu vân tay bên dưới với dấu vân tay do quản trị viên hoặc nhà cung cấp dịch vụ đưa cho bạn trước khi chấp nhận.</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Loại khóa:</translation>
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
        <translation>Hủy</translation>
    </message>
</context>
</TS>
