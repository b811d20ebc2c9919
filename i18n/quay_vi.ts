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
        <translation>Nơi cấp:</translation>
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
    <name>ConfirmDeleteDialog</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… và %n mục khác</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>The target file exists</source>
        <translation>Tệp đích đã tồn tại</translation>
    </message>
    <message>
        <source>%1 already exists. What should happen to it?</source>
        <translation>%1 đã tồn tại. Nên xử lý thế nào?</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Nguồn:</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>Đích:</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>&amp;Ghi đè</translation>
    </message>
    <message>
        <source>Overwrite if the source is &amp;newer</source>
        <translation>Ghi đè nếu nguồn &amp;mới hơn</translation>
    </message>
    <message>
        <source>R&amp;esume (append the missing part)</source>
        <translation>T&amp;iếp tục (nối phần còn thiếu)</translation>
    </message>
    <message>
        <source>&amp;Rename (keep both)</source>
        <translation>Đổi &amp;tên (giữ cả hai)</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>&amp;Bỏ qua</translation>
    </message>
    <message>
        <source>&amp;Apply to all conflicts in this queue</source>
        <translation>Á&amp;p dụng cho mọi xung đột trong hàng đợi này</translation>
    </message>
</context>
<context>
    <name>FilesErrors</name>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>The server&apos;s key has changed, so Quay refused to connect (see the warning).</source>
        <translation>Khóa của máy chủ đã thay đổi nên Quay từ chối kết nối (xem cảnh báo).</translation>
    </message>
    <message>
        <source>The server&apos;s key is not known yet.</source>
        <translation>Khóa của máy chủ chưa được biết.</translation>
    </message>
    <message>
        <source>The server refused the user name or password. Check them and connect again.</source>
        <translation>Máy chủ từ chối tên người dùng hoặc mật khẩu. Hãy kiểm tra lại rồi kết nối lại.</translation>
    </message>
    <message>
        <source>The secure connection could not be set up: the server&apos;s certificate was not trusted.</source>
        <translation>Không thể thiết lập kết nối bảo mật: chứng chỉ của máy chủ không được tin cậy.</translation>
    </message>
    <message>
        <source>This server cannot do that.</source>
        <translation>Máy chủ này không làm được việc đó.</translation>
    </message>
    <message>
        <source>A name on the server would be saved outside the chosen folder, so it was skipped.</source>
        <translation>Một tên trên máy chủ sẽ bị lưu ra ngoài thư mục đã chọn nên đã bị bỏ qua.</translation>
    </message>
    <message>
        <source>Quay could not read or write a file on this computer (disk full, or no permission).</source>
        <translation>Quay không đọc hoặc ghi được tệp trên máy tính này (đầy đĩa hoặc không có quyền).</translation>
    </message>
    <message>
        <source>The connection to the server failed or was lost. Check the network and try again.</source>
        <translation>Kết nối tới máy chủ thất bại hoặc bị mất. Hãy kiểm tra mạng rồi thử lại.</translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation>Máy chủ từ chối yêu cầu: %1</translation>
    </message>
    <message>
        <source>Something went wrong inside Quay: %1</source>
        <translation>Đã có lỗi bên trong Quay: %1</translation>
    </message>
    <message>
        <source>The connection to the server was lost. Retry when the server is back.</source>
        <translation>Mất kết nối tới máy chủ. Hãy thử lại khi máy chủ hoạt động trở lại.</translation>
    </message>
    <message>
        <source>The server refused the user name or password.</source>
        <translation>Máy chủ từ chối tên người dùng hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not trusted.</source>
        <translation>Chứng chỉ của máy chủ không được tin cậy.</translation>
    </message>
    <message>
        <source>There is no space left to store the file.</source>
        <translation>Không còn chỗ để lưu tệp.</translation>
    </message>
    <message>
        <source>Permission denied.</source>
        <translation>Không có quyền.</translation>
    </message>
    <message>
        <source>The file no longer exists.</source>
        <translation>Tệp không còn tồn tại.</translation>
    </message>
    <message>
        <source>The file already exists and no choice was made for conflicts.</source>
        <translation>Tệp đã tồn tại và chưa chọn cách xử lý xung đột.</translation>
    </message>
    <message>
        <source>The copy did not match the original, so it was not kept.</source>
        <translation>Bản sao không khớp với bản gốc nên không được giữ lại.</translation>
    </message>
    <message>
        <source>The name would be saved outside the chosen folder, so it was skipped.</source>
        <translation>Tên này sẽ bị lưu ra ngoài thư mục đã chọn nên đã bị bỏ qua.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Thất bại.</translation>
    </message>
    <message>
        <source>The transfer failed: %1</source>
        <translation>Truyền tệp thất bại: %1</translation>
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
    <name>FilesTab</name>
    <message>
        <source>&amp;Site Manager…</source>
        <translation>Trình quản lý &amp;trang…</translation>
    </message>
    <message>
        <source>Open the saved sites</source>
        <translation>Mở các trang đã lưu</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Ngắt kết nối</translation>
    </message>
    <message>
        <source>Close the connection of this tab</source>
        <translation>Đóng kết nối của thẻ này</translation>
    </message>
    <message>
        <source>Cancel operation</source>
        <translation>Hủy thao tác</translation>
    </message>
    <message>
        <source>Stop waiting for the server in this tab</source>
        <translation>Thôi chờ máy chủ trong thẻ này</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Làm mới</translation>
    </message>
    <message>
        <source>List the folder again (F5)</source>
        <translation>Liệt kê lại thư mục (F5)</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Tải xuống</translation>
    </message>
    <message>
        <source>Download the selected files to the local folder</source>
        <translation>Tải các tệp đã chọn về thư mục trên máy</translation>
    </message>
    <message>
        <source>&amp;Upload</source>
        <translation>Tải &amp;lên</translation>
    </message>
    <message>
        <source>Upload the selected files to the remote folder</source>
        <translation>Tải các tệp đã chọn lên thư mục trên máy chủ</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Mở</translation>
    </message>
    <message>
        <source>Open with the program this computer uses for it</source>
        <translation>Mở bằng chương trình máy tính này dùng cho loại tệp đó</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>Edit locally and upload the changes</source>
        <translation>Sửa trên máy rồi tải các thay đổi lên</translation>
    </message>
    <message>
        <source>Re&amp;name</source>
        <translation>Đổi &amp;tên</translation>
    </message>
    <message>
        <source>Rename the selected item (F2)</source>
        <translation>Đổi tên mục đã chọn (F2)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Delete the selected items (Del)</source>
        <translation>Xóa các mục đã chọn (Del)</translation>
    </message>
    <message>
        <source>New &amp;folder</source>
        <translation>Thư mục &amp;mới</translation>
    </message>
    <message>
        <source>Create a folder (F7)</source>
        <translation>Tạo thư mục (F7)</translation>
    </message>
    <message>
        <source>New fi&amp;le</source>
        <translation>Tệp mớ&amp;i</translation>
    </message>
    <message>
        <source>Create an empty file</source>
        <translation>Tạo một tệp trống</translation>
    </message>
    <message>
        <source>&amp;Permissions…</source>
        <translation>&amp;Quyền truy cập…</translation>
    </message>
    <message>
        <source>Change who may read, write and run it</source>
        <translation>Thay đổi ai được đọc, ghi và chạy</translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation>Chép địa chỉ &amp;URL</translation>
    </message>
    <message>
        <source>Copy the address of the selected items</source>
        <translation>Chép địa chỉ của các mục đã chọn</translation>
    </message>
    <message>
        <source>Copy p&amp;ublic link</source>
        <translation>Chép liên kết công &amp;khai</translation>
    </message>
    <message>
        <source>Copy the web address under the site&apos;s public URL prefix</source>
        <translation>Chép địa chỉ web theo tiền tố URL công khai của trang</translation>
    </message>
    <message>
        <source>Propert&amp;ies</source>
        <translation>Thuộc tín&amp;h</translation>
    </message>
    <message>
        <source>Show everything known about the item</source>
        <translation>Hiện mọi thông tin đã biết về mục này</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Chép</translation>
    </message>
    <message>
        <source>Copy the selection, to paste into the other pane</source>
        <translation>Chép phần đã chọn để dán sang khung bên kia</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Transfer the copied items into this folder</source>
        <translation>Truyền các mục đã chép vào thư mục này</translation>
    </message>
    <message>
        <source>&amp;Compare folders</source>
        <translation>&amp;So sánh thư mục</translation>
    </message>
    <message>
        <source>Colour the differences between the two folders</source>
        <translation>Tô màu các khác biệt giữa hai thư mục</translation>
    </message>
    <message>
        <source>Compare by c&amp;hecksum</source>
        <translation>So sánh bằng mã &amp;kiểm tra</translation>
    </message>
    <message>
        <source>Compare same-size files by content where the server can hash them</source>
        <translation>So sánh nội dung các tệp cùng kích thước khi máy chủ tính được mã băm</translation>
    </message>
    <message>
        <source>Allow sha256sum on SFTP servers</source>
        <translation>Cho phép chạy sha256sum trên máy chủ SFTP</translation>
    </message>
    <message>
        <source>Let the checksum comparison run sha256sum on SFTP servers (a command on the server)</source>
        <translation>Cho phép phép so sánh mã kiểm tra chạy sha256sum trên máy chủ SFTP (một lệnh trên máy chủ)</translation>
    </message>
    <message>
        <source>S&amp;ynchronized browsing</source>
        <translation>Duyệt đồng &amp;bộ</translation>
    </message>
    <message>
        <source>Open the same subfolder on both sides</source>
        <translation>Mở cùng một thư mục con ở cả hai bên</translation>
    </message>
    <message>
        <source>Sy&amp;nchronize…</source>
        <translation>Đồng bộ &amp;hóa…</translation>
    </message>
    <message>
        <source>Make one folder equal the other, after a preview</source>
        <translation>Làm một thư mục giống thư mục kia, sau khi xem trước</translation>
    </message>
    <message>
        <source>Switch pane</source>
        <translation>Chuyển khung</translation>
    </message>
    <message>
        <source>Move between the local and remote panes (F6)</source>
        <translation>Chuyển giữa khung trên máy và khung máy chủ (F6)</translation>
    </message>
    <message>
        <source>Upload edited files without asking</source>
        <translation>Tải lên tệp đã sửa mà không hỏi</translation>
    </message>
    <message>
        <source>Send every saved change of a file being edited at once</source>
        <translation>Gửi ngay mọi thay đổi đã lưu của tệp đang sửa</translation>
    </message>
    <message>
        <source>Not connected. Use the quick-connect bar above or open the Site Manager (Ctrl+Shift+S).</source>
        <translation>Chưa kết nối. Hãy dùng thanh kết nối nhanh ở trên hoặc mở Trình quản lý trang (Ctrl+Shift+S).</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Đang kết nối tới %1…</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s key was not accepted.</source>
        <translation>Chưa kết nối: khóa của máy chủ không được chấp nhận.</translation>
    </message>
    <message>
        <source>Not connected: no password given.</source>
        <translation>Chưa kết nối: chưa nhập mật khẩu.</translation>
    </message>
    <message>
        <source>Downloading for the drop…</source>
        <translation>Đang tải xuống để thả…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Đổi tên</translation>
    </message>
    <message>
        <source>New name for %1:</source>
        <translation>Tên mới cho %1:</translation>
    </message>
    <message>
        <source> (folder and everything in it)</source>
        <translation> (thư mục và mọi thứ bên trong)</translation>
    </message>
    <message>
        <source>Delete on the server</source>
        <translation>Xóa trên máy chủ</translation>
    </message>
    <message numerus="yes">
        <source>These %n item(s) will be deleted from the server. This cannot be undone.</source>
        <translation>
            <numerusform>%n mục này sẽ bị xóa khỏi máy chủ. Không thể hoàn tác.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Delete on this computer</source>
        <translation>Xóa trên máy tính này</translation>
    </message>
    <message numerus="yes">
        <source>These %n item(s) will be deleted from this computer.</source>
        <translation>
            <numerusform>%n mục này sẽ bị xóa khỏi máy tính này.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>Thư mục mới</translation>
    </message>
    <message>
        <source>Name of the new folder:</source>
        <translation>Tên thư mục mới:</translation>
    </message>
    <message>
        <source>New file</source>
        <translation>Tệp mới</translation>
    </message>
    <message>
        <source>Name of the new file:</source>
        <translation>Tên tệp mới:</translation>
    </message>
    <message>
        <source>Could not download %1 for editing.</source>
        <translation>Không tải được %1 về để sửa.</translation>
    </message>
    <message>
        <source>Upload the changed file?</source>
        <translation>Tải lên tệp đã thay đổi?</translation>
    </message>
    <message>
        <source>%1 was changed. Upload it to the server, replacing %2?</source>
        <translation>%1 đã được thay đổi. Tải lên máy chủ, thay thế %2?</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>&amp;Để sau</translation>
    </message>
    <message>
        <source>Upload later changes without asking</source>
        <translation>Tải lên các thay đổi sau mà không hỏi</translation>
    </message>
    <message>
        <source>The server offers no checksum: compared by size and time only.</source>
        <translation>Máy chủ không cung cấp mã kiểm tra: chỉ so sánh theo kích thước và thời gian.</translation>
    </message>
    <message>
        <source>Synchronize: delete</source>
        <translation>Đồng bộ hóa: xóa</translation>
    </message>
    <message numerus="yes">
        <source>After the copies succeed, these %n item(s) will be deleted. This cannot be undone.</source>
        <translation>
            <numerusform>Sau khi sao chép xong, %n mục này sẽ bị xóa. Không thể hoàn tác.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Delete them</source>
        <translation>&amp;Xóa chúng</translation>
    </message>
    <message>
        <source>Transfers finished: %1 done, %2 failed.</source>
        <translation>Đã truyền xong: %1 thành công, %2 thất bại.</translation>
    </message>
    <message>
        <source>Quay</source>
        <translation>Quay</translation>
    </message>
</context>
<context>
    <name>HostKeyChangedDialog</name>
    <message>
        <source>Server key changed — connection refused</source>
        <translation>Khóa máy chủ đã thay đổi — từ chối kết nối</translation>
    </message>
    <message>
        <source>WARNING: the key of %1 has changed</source>
        <translation>CẢNH BÁO: khóa của %1 đã thay đổi</translation>
    </message>
    <message>
        <source>The server presented a different key from the one Quay remembered. Someone may be intercepting the connection to read your password and files (a man-in-the-middle attack). It is also possible that the administrator reinstalled the server. Quay did not connect and sent nothing.</source>
        <translation>Máy chủ đưa ra một khóa khác với khóa Quay đã ghi nhớ. Có thể ai đó đang chặn kết nối để đọc mật khẩu và tệp của bạn (tấn công xen giữa). Cũng có thể quản trị viên đã cài lại máy chủ. Quay đã không kết nối và không gửi gì cả.</translation>
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
        <translation>Nếu bạn đã xác nhận với quản trị viên rằng khóa thực sự đã đổi, hãy chủ động xóa khóa cũ: xóa dòng của %1 trong tệp máy chủ đã biết của Quay (%2), rồi kết nối lại và so sánh dấu vân tay mới.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>LocalPane</name>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Tiến tới</translation>
    </message>
    <message>
        <source>Up one folder</source>
        <translation>Lên một thư mục</translation>
    </message>
    <message>
        <source>Home folder</source>
        <translation>Thư mục nhà</translation>
    </message>
    <message>
        <source>Show hidden files</source>
        <translation>Hiện tệp ẩn</translation>
    </message>
    <message>
        <source>Favourite folders</source>
        <translation>Thư mục yêu thích</translation>
    </message>
    <message>
        <source>Local folder</source>
        <translation>Thư mục trên máy</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Ổ đĩa</translation>
    </message>
    <message>
        <source>Local files</source>
        <translation>Tệp trên máy</translation>
    </message>
    <message>
        <source>Add this folder to favourites</source>
        <translation>Thêm thư mục này vào mục yêu thích</translation>
    </message>
    <message>
        <source>Remove this folder from favourites</source>
        <translation>Bỏ thư mục này khỏi mục yêu thích</translation>
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
<context>
    <name>MarkedFileModel</name>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Sửa đổi</translation>
    </message>
</context>
<context>
    <name>MessageLog</name>
    <message>
        <source>Message log</source>
        <translation>Nhật ký thông điệp</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Lệnh:</translation>
    </message>
    <message>
        <source>Response:</source>
        <translation>Phản hồi:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <source>Error:</source>
        <translation>Lỗi:</translation>
    </message>
    <message>
        <source>C&amp;lear log</source>
        <translation>&amp;Xóa nhật ký</translation>
    </message>
</context>
<context>
    <name>PermissionsDialog</name>
    <message>
        <source>Change permissions</source>
        <translation>Thay đổi quyền truy cập</translation>
    </message>
    <message>
        <source>Permissions of %1</source>
        <translation>Quyền truy cập của %1</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Chủ sở hữu</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Others</source>
        <translation>Người khác</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Đọc</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Ghi</translation>
    </message>
    <message>
        <source>Execute</source>
        <translation>Chạy</translation>
    </message>
    <message>
        <source>Who may do what</source>
        <translation>Ai được làm gì</translation>
    </message>
    <message>
        <source>&amp;Numeric value:</source>
        <translation>Giá trị &amp;số:</translation>
    </message>
    <message>
        <source>Apply to everything &amp;inside the folders too</source>
        <translation>Áp dụng cho mọi thứ &amp;bên trong các thư mục</translation>
    </message>
    <message>
        <source>Files and folders</source>
        <translation>Tệp và thư mục</translation>
    </message>
    <message>
        <source>Files only</source>
        <translation>Chỉ tệp</translation>
    </message>
    <message>
        <source>Folders only</source>
        <translation>Chỉ thư mục</translation>
    </message>
</context>
<context>
    <name>PlanModel</name>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Đường dẫn</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Tải xuống</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Tải lên</translation>
    </message>
    <message>
        <source>Create local folder</source>
        <translation>Tạo thư mục trên máy</translation>
    </message>
    <message>
        <source>Create remote folder</source>
        <translation>Tạo thư mục trên máy chủ</translation>
    </message>
    <message>
        <source>Delete local</source>
        <translation>Xóa trên máy</translation>
    </message>
    <message>
        <source>Delete on server</source>
        <translation>Xóa trên máy chủ</translation>
    </message>
</context>
<context>
    <name>PropertiesDialog</name>
    <message>
        <source>Properties of %1</source>
        <translation>Thuộc tính của %1</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Liên kết</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Đường dẫn:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Địa chỉ:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Kích thước:</translation>
    </message>
    <message>
        <source>Modified:</source>
        <translation>Sửa đổi:</translation>
    </message>
    <message>
        <source>Permissions:</source>
        <translation>Quyền truy cập:</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>Chủ sở hữu:</translation>
    </message>
    <message>
        <source>Link target:</source>
        <translation>Đích của liên kết:</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Direction</source>
        <translation>Chiều</translation>
    </message>
    <message>
        <source>Local file</source>
        <translation>Tệp trên máy</translation>
    </message>
    <message>
        <source>Remote file</source>
        <translation>Tệp trên máy chủ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Còn lại</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>Waiting for retry</source>
        <translation>Chờ thử lại</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <source>Transferring</source>
        <translation>Đang truyền</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Xong</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Tải xuống</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Tải lên</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/giây</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Tạm dừng</translation>
    </message>
    <message>
        <source>Pause the selected transfers</source>
        <translation>Tạm dừng các lượt truyền đã chọn</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>Tiếp &amp;tục</translation>
    </message>
    <message>
        <source>Resume the selected transfers</source>
        <translation>Tiếp tục các lượt truyền đã chọn</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Hủy</translation>
    </message>
    <message>
        <source>Cancel the selected transfers</source>
        <translation>Hủy các lượt truyền đã chọn</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>Thử &amp;lại</translation>
    </message>
    <message>
        <source>Try the selected failed transfers again</source>
        <translation>Thử lại các lượt truyền thất bại đã chọn</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>Tạm dừng tất cả</translation>
    </message>
    <message>
        <source>Pause every transfer</source>
        <translation>Tạm dừng mọi lượt truyền</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>Tiếp tục tất cả</translation>
    </message>
    <message>
        <source>Resume every paused transfer</source>
        <translation>Tiếp tục mọi lượt truyền đang tạm dừng</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Hủy tất cả</translation>
    </message>
    <message>
        <source>Cancel every waiting or running transfer</source>
        <translation>Hủy mọi lượt truyền đang chờ hoặc đang chạy</translation>
    </message>
    <message>
        <source>Retry all</source>
        <translation>Thử lại tất cả</translation>
    </message>
    <message>
        <source>Try every failed transfer again</source>
        <translation>Thử lại mọi lượt truyền thất bại</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Dọn mục đã xong</translation>
    </message>
    <message>
        <source>Remove finished transfers from the list</source>
        <translation>Bỏ các lượt truyền đã xong khỏi danh sách</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>&amp;Giới hạn tốc độ:</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/giây</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Không giới hạn</translation>
    </message>
    <message>
        <source>Speed limit for all transfers</source>
        <translation>Giới hạn tốc độ cho mọi lượt truyền</translation>
    </message>
    <message>
        <source>Transfer queue</source>
        <translation>Hàng đợi truyền tệp</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) left</source>
        <translation>
            <numerusform>Còn %n lượt truyền</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/giây</translation>
    </message>
    <message>
        <source>Queued (%1)</source>
        <translation>Đang chờ (%1)</translation>
    </message>
    <message>
        <source>Running (%1)</source>
        <translation>Đang chạy (%1)</translation>
    </message>
    <message>
        <source>Failed (%1)</source>
        <translation>Thất bại (%1)</translation>
    </message>
    <message>
        <source>Done (%1)</source>
        <translation>Xong (%1)</translation>
    </message>
</context>
<context>
    <name>QuickConnectBar</name>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Máy chủ:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Người dùng:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mật &amp;khẩu:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Cổng:</translation>
    </message>
    <message>
        <source>&amp;Quickconnect</source>
        <translation>&amp;Kết nối nhanh</translation>
    </message>
    <message>
        <source>Connect to this server</source>
        <translation>Kết nối tới máy chủ này</translation>
    </message>
    <message>
        <source>Recent servers</source>
        <translation>Máy chủ gần đây</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Giao thức</translation>
    </message>
    <message>
        <source>host or sftp://user@host/folder</source>
        <translation>máy chủ hoặc sftp://người_dùng@máy_chủ/thư_mục</translation>
    </message>
    <message>
        <source>No recent servers</source>
        <translation>Chưa có máy chủ gần đây</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>Xóa lịch sử</translation>
    </message>
    <message>
        <source>Type a host name first.</source>
        <translation>Hãy nhập tên máy chủ trước.</translation>
    </message>
</context>
<context>
    <name>RemoteConnection</name>
    <message>
        <source>Connecting to %1 (%2)…</source>
        <extracomment>Protocols in the order the UI lists them. File types sent in ASCII mode when the transfer mode is &quot;auto&quot; (FileZilla&apos;s default list, shortened).</extracomment>
        <translation>Đang kết nối tới %1 (%2)…</translation>
    </message>
    <message>
        <source>Connected; the home folder is %1</source>
        <translation>Đã kết nối; thư mục nhà là %1</translation>
    </message>
    <message>
        <source>Cancelled by the user</source>
        <translation>Người dùng đã hủy</translation>
    </message>
</context>
<context>
    <name>RemoteListModel</name>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Sửa đổi</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Quyền truy cập</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Chủ sở hữu</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Liên kết</translation>
    </message>
    <message>
        <source>%1 file</source>
        <translation>Tệp %1</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
</context>
<context>
    <name>RemotePane</name>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Tiến tới</translation>
    </message>
    <message>
        <source>Up one folder</source>
        <translation>Lên một thư mục</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Remote folder</source>
        <translation>Thư mục trên máy chủ</translation>
    </message>
    <message>
        <source>Filter names (e.g. *.jpg)</source>
        <translation>Lọc theo tên (vd. *.jpg)</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Bộ lọc</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Stop waiting for the server</source>
        <translation>Thôi chờ máy chủ</translation>
    </message>
    <message>
        <source>Remote folders</source>
        <translation>Thư mục trên máy chủ</translation>
    </message>
    <message>
        <source>Remote files</source>
        <translation>Tệp trên máy chủ</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Đang tải %1…</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Chưa kết nối.</translation>
    </message>
    <message>
        <source>This folder is empty.</source>
        <translation>Thư mục này trống.</translation>
    </message>
    <message>
        <source>No names match the filter.</source>
        <translation>Không có tên nào khớp bộ lọc.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n mục</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled. Press F5 to try again.</source>
        <translation>Đã hủy. Nhấn F5 để thử lại.</translation>
    </message>
</context>
<context>
    <name>RemoteTreeModel</name>
    <message>
        <source>Folders</source>
        <translation>Thư mục</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <source>Key passphrase</source>
        <translation>Cụm mật khẩu của khóa</translation>
    </message>
    <message>
        <source>Enter the passphrase of your SSH key for %1.</source>
        <translation>Nhập cụm mật khẩu của khóa SSH cho %1.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Enter the password for %1.</source>
        <translation>Nhập mật khẩu cho %1.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Cụm mật khẩu</translation>
    </message>
    <message>
        <source>&amp;Remember it in the system keyring</source>
        <translation>&amp;Ghi nhớ trong kho khóa của hệ thống</translation>
    </message>
</context>
<context>
    <name>SiteManagerDialog</name>
    <message>
        <source>Site Manager</source>
        <translation>Trình quản lý trang</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Các trang</translation>
    </message>
    <message>
        <source>&amp;New site</source>
        <translation>Trang &amp;mới</translation>
    </message>
    <message>
        <source>New &amp;folder</source>
        <translation>Thư mục &amp;mới</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Nhân bản</translation>
    </message>
    <message>
        <source>Rena&amp;me</source>
        <translation>Đổi &amp;tên</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>N&amp;hập…</translation>
    </message>
    <message>
        <source>FileZilla site manager (sitemanager.xml)…</source>
        <translation>Trình quản lý trang của FileZilla (sitemanager.xml)…</translation>
    </message>
    <message>
        <source>OpenSSH client configuration (~/.ssh/config)…</source>
        <translation>Cấu hình máy khách OpenSSH (~/.ssh/config)…</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Mặc định</translation>
    </message>
    <message>
        <source>Password (kept in the keyring)</source>
        <translation>Mật khẩu (lưu trong kho khóa)</translation>
    </message>
    <message>
        <source>Ask for the password each time</source>
        <translation>Hỏi mật khẩu mỗi lần</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Tệp khóa</translation>
    </message>
    <message>
        <source>SSH agent</source>
        <translation>SSH agent</translation>
    </message>
    <message>
        <source>Interactive (keyboard)</source>
        <translation>Tương tác (bàn phím)</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Ẩn danh</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Duyệt…</translation>
    </message>
    <message>
        <source>Automatic (text files as ASCII)</source>
        <translation>Tự động (tệp văn bản theo ASCII)</translation>
    </message>
    <message>
        <source>Binary</source>
        <translation>Nhị phân</translation>
    </message>
    <message>
        <source>ASCII</source>
        <translation>ASCII</translation>
    </message>
    <message>
        <source>Passive mode (recommended behind routers and firewalls)</source>
        <translation>Chế độ bị động (nên dùng khi sau bộ định tuyến và tường lửa)</translation>
    </message>
    <message>
        <source>Automatic (UTF-8)</source>
        <translation>Tự động (UTF-8)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation>Thư &amp;mục:</translation>
    </message>
    <message>
        <source>&amp;Protocol:</source>
        <translation>&amp;Giao thức:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Máy chủ:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>&amp;Cổng:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Người dùng:</translation>
    </message>
    <message>
        <source>&amp;Log-in:</source>
        <translation>Đăng &amp;nhập:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mật &amp;khẩu:</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>Tệp &amp;khóa:</translation>
    </message>
    <message>
        <source>Local folder:</source>
        <translation>Thư mục trên máy:</translation>
    </message>
    <message>
        <source>Remote folder:</source>
        <translation>Thư mục trên máy chủ:</translation>
    </message>
    <message>
        <source>Transfer &amp;mode:</source>
        <translation>Chế độ &amp;truyền:</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Bảng mã:</translation>
    </message>
    <message>
        <source>Parallel &amp;connections:</source>
        <translation>Số kết nối &amp;song song:</translation>
    </message>
    <message>
        <source>Public &amp;URL prefix:</source>
        <translation>Tiền tố &amp;URL công khai:</translation>
    </message>
    <message>
        <source>Co&amp;mment:</source>
        <translation>&amp;Ghi chú:</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Kết nối</translation>
    </message>
    <message>
        <source>Connect in new &amp;tab</source>
        <translation>Kết nối trong &amp;thẻ mới</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>Thư mục mới</translation>
    </message>
    <message>
        <source>FTP (no encryption)</source>
        <translation>FTP (không mã hóa)</translation>
    </message>
    <message>
        <source>FTPS (explicit TLS)</source>
        <translation>FTPS (TLS tường minh)</translation>
    </message>
    <message>
        <source>FTPS (implicit TLS)</source>
        <translation>FTPS (TLS ngầm định)</translation>
    </message>
    <message>
        <source>SFTP (SSH)</source>
        <translation>SFTP (SSH)</translation>
    </message>
    <message>
        <source>TFTP (no log-in, no encryption)</source>
        <translation>TFTP (không đăng nhập, không mã hóa)</translation>
    </message>
    <message>
        <source>Default (%1)</source>
        <translation>Mặc định (%1)</translation>
    </message>
    <message>
        <source>A site needs a host name.</source>
        <translation>Trang cần có tên máy chủ.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>New site</source>
        <translation>Trang mới</translation>
    </message>
    <message>
        <source>Delete the site %1 and its saved password?</source>
        <translation>Xóa trang %1 cùng mật khẩu đã lưu của nó?</translation>
    </message>
    <message numerus="yes">
        <source>Delete the folder %1 and the %n site(s) in it?</source>
        <translation>
            <numerusform>Xóa thư mục %1 và %n trang trong đó?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Choose a private key</source>
        <translation>Chọn khóa riêng</translation>
    </message>
    <message>
        <source>Import FileZilla sites</source>
        <translation>Nhập các trang của FileZilla</translation>
    </message>
    <message>
        <source>FileZilla site manager (*.xml)</source>
        <translation>Trình quản lý trang của FileZilla (*.xml)</translation>
    </message>
    <message>
        <source>Import OpenSSH hosts</source>
        <translation>Nhập các máy chủ OpenSSH</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>Nhập thất bại: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n site(s).</source>
        <translation>
            <numerusform>Đã nhập %n trang.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n password(s) stored in the keyring.</source>
        <translation>
            <numerusform>Đã lưu %n mật khẩu vào kho khóa.</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>Đã bỏ qua: %1</translation>
    </message>
</context>
<context>
    <name>SyncOptionsDialog</name>
    <message>
        <source>Synchronize folders</source>
        <translation>Đồng bộ hóa thư mục</translation>
    </message>
    <message>
        <source>Local: %1</source>
        <translation>Trên máy: %1</translation>
    </message>
    <message>
        <source>Remote: %1</source>
        <translation>Trên máy chủ: %1</translation>
    </message>
    <message>
        <source>Make the &amp;server folder like this computer&apos;s (upload)</source>
        <translation>Làm thư mục trên &amp;máy chủ giống trên máy này (tải lên)</translation>
    </message>
    <message>
        <source>Make this &amp;computer&apos;s folder like the server&apos;s (download)</source>
        <translation>Làm thư mục trên má&amp;y này giống trên máy chủ (tải xuống)</translation>
    </message>
    <message>
        <source>&amp;Delete what exists only on the side being changed</source>
        <translation>&amp;Xóa những gì chỉ có ở bên đang được thay đổi</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Xem trước</translation>
    </message>
</context>
<context>
    <name>SyncPreviewDialog</name>
    <message>
        <source>Synchronize: preview</source>
        <translation>Đồng bộ hóa: xem trước</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s). Untick what should not happen.</source>
        <translation>
            <numerusform>%n thao tác. Bỏ đánh dấu những gì không nên làm.</numerusform>
        </translation>
    </message>
    <message>
        <source>Both folders are already the same.</source>
        <translation>Hai thư mục đã giống nhau.</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Chạy</translation>
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
        <translation>Đây là lần kết nối đầu tiên tới %1</translation>
    </message>
    <message>
        <source>Quay does not know this server&apos;s key yet. Compare the fingerprint below with the one your administrator or hosting company gives you before you accept it.</source>
        <translation>Quay chưa biết khóa của máy chủ này. Hãy so sánh dấu vân tay dưới đây với dấu vân tay quản trị viên hoặc nhà cung cấp dịch vụ đưa cho bạn trước khi chấp nhận.</translation>
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
