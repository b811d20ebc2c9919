<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AccountWizard</name>
    <message>
        <source>Add a mail account</source>
        <translation>Thêm tài khoản thư</translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation>&amp;Tên của bạn:</translation>
    </message>
    <message>
        <source>&amp;E-mail address:</source>
        <translation>Địa chỉ &amp;e-mail:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mật khẩu:</translation>
    </message>
    <message>
        <source>as recipients will see it</source>
        <translation>như người nhận sẽ thấy</translation>
    </message>
    <message>
        <source>Quay looks up the server settings for you: its own list of providers, your domain&apos;s settings file, DNS records, and finally the usual server names. The password is kept in your system&apos;s keyring.</source>
        <translation>Quay tự tìm cấu hình máy chủ cho bạn: danh sách nhà cung cấp có sẵn, tệp cấu hình của tên miền, bản ghi DNS, và cuối cùng là các tên máy chủ thông dụng. Mật khẩu được cất trong kho khóa của hệ thống.</translation>
    </message>
    <message>
        <source>Allow sending the password unencrypted (not recommended)</source>
        <translation>Cho phép gửi mật khẩu không mã hóa (không khuyến nghị)</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Kiểm tra</translation>
    </message>
    <message>
        <source>&amp;Continue &gt;</source>
        <translation>&amp;Tiếp tục &gt;</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Your e-mail address</source>
        <translation>Địa chỉ e-mail của bạn</translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation>Cấu hình máy chủ</translation>
    </message>
    <message>
        <source>Please enter a complete e-mail address, like name@example.com.</source>
        <translation>Hãy nhập đầy đủ địa chỉ e-mail, ví dụ ten@example.com.</translation>
    </message>
    <message>
        <source>Looking for the settings of %1…</source>
        <translation>Đang tìm cấu hình cho %1…</translation>
    </message>
    <message>
        <source>Quay&apos;s list of providers</source>
        <translation>danh sách nhà cung cấp của Quay</translation>
    </message>
    <message>
        <source>your domain&apos;s settings file</source>
        <translation>tệp cấu hình của tên miền</translation>
    </message>
    <message>
        <source>your domain&apos;s DNS service records</source>
        <translation>bản ghi dịch vụ DNS của tên miền</translation>
    </message>
    <message>
        <source>the provider hosting your domain&apos;s mail</source>
        <translation>nhà cung cấp lưu trữ thư của tên miền</translation>
    </message>
    <message>
        <source>trying the usual server names</source>
        <translation>thử các tên máy chủ thông dụng</translation>
    </message>
    <message>
        <source>No settings were found for %1. Enter them by hand; your provider&apos;s help pages list them.</source>
        <translation>Không tìm thấy cấu hình cho %1. Hãy nhập tay; trang trợ giúp của nhà cung cấp có ghi các thông số này.</translation>
    </message>
    <message>
        <source>Found through %1.</source>
        <translation>Tìm thấy qua %1.</translation>
    </message>
    <message>
        <source>Found through %1: %2.</source>
        <translation>Tìm thấy qua %1: %2.</translation>
    </message>
    <message>
        <source>Check the settings, then press Test.</source>
        <translation>Hãy xem lại cấu hình, rồi bấm Kiểm tra.</translation>
    </message>
    <message>
        <source>%1 may refuse your normal password in mail programs. If signing in fails, create an app password in your account&apos;s security settings and use it here.</source>
        <translation>%1 có thể từ chối mật khẩu thường trong các chương trình thư. Nếu đăng nhập không được, hãy tạo mật khẩu ứng dụng trong phần bảo mật của tài khoản rồi dùng nó ở đây.</translation>
    </message>
    <message>
        <source>This provider</source>
        <translation>Nhà cung cấp này</translation>
    </message>
    <message>
        <source>Outlook.com and Microsoft 365 want you to sign in through Microsoft&apos;s own page (OAuth2), which Quay cannot do yet. If your organisation allows app passwords, create one and use it here; otherwise this account cannot be added yet.</source>
        <translation>Outlook.com và Microsoft 365 yêu cầu đăng nhập qua trang riêng của Microsoft (OAuth2), điều Quay chưa làm được. Nếu tổ chức của bạn cho phép mật khẩu ứng dụng, hãy tạo một mật khẩu và dùng ở đây; nếu không, hiện chưa thể thêm tài khoản này.</translation>
    </message>
    <message>
        <source>Google wants you to sign in through its own page (OAuth2), which Quay cannot do yet. Turn on 2-Step Verification in your Google account, create an app password there (Security → App passwords) and use it here instead of your normal password.</source>
        <translation>Google yêu cầu đăng nhập qua trang riêng của Google (OAuth2), điều Quay chưa làm được. Hãy bật Xác minh 2 bước trong tài khoản Google, tạo mật khẩu ứng dụng ở đó (Bảo mật → Mật khẩu ứng dụng) và dùng nó ở đây thay cho mật khẩu thường.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Signed in. The server accepts messages up to %1.</source>
        <translation>Đăng nhập được. Máy chủ nhận thư tối đa %1.</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Đăng nhập được.</translation>
    </message>
    <message>
        <source>Wrong user name or password: the server refused them. Check both (some providers want an app password here).</source>
        <translation>Sai tên người dùng hoặc mật khẩu: máy chủ đã từ chối. Hãy kiểm tra cả hai (một số nhà cung cấp yêu cầu mật khẩu ứng dụng ở đây).</translation>
    </message>
    <message>
        <source>Cannot reach %1. Check the server name and port, and your connection.</source>
        <translation>Không kết nối được tới %1. Hãy kiểm tra tên máy chủ, cổng và kết nối mạng.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted. Look at it before you decide.</source>
        <translation>Chứng chỉ của máy chủ không được tin cậy. Hãy xem kỹ trước khi quyết định.</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: %2</source>
        <translation>Kết nối bảo mật tới %1 thất bại: %2</translation>
    </message>
    <message>
        <source>%1 offers no encryption on this port. Choose TLS or another port; Quay will not send your password in clear there.</source>
        <translation>%1 không hỗ trợ mã hóa trên cổng này. Hãy chọn TLS hoặc cổng khác; Quay sẽ không gửi mật khẩu dạng rõ tới đó.</translation>
    </message>
    <message>
        <source>With these settings the password would travel unencrypted. Choose TLS or STARTTLS, or tick “Allow sending the password unencrypted” if this server really has no encryption.</source>
        <translation>Với cấu hình này mật khẩu sẽ được gửi đi không mã hóa. Hãy chọn TLS hoặc STARTTLS, hoặc đánh dấu “Cho phép gửi mật khẩu không mã hóa” nếu máy chủ thật sự không có mã hóa.</translation>
    </message>
    <message>
        <source>The server could not check the password right now. Try again in a moment.</source>
        <translation>Máy chủ tạm thời không kiểm tra được mật khẩu. Hãy thử lại sau giây lát.</translation>
    </message>
    <message>
        <source>The server answered with an error: %1</source>
        <translation>Máy chủ trả về lỗi: %1</translation>
    </message>
    <message>
        <source>No system keyring is available: the password is kept only until Quay closes.</source>
        <translation>Không có kho khóa hệ thống: mật khẩu chỉ được giữ đến khi Quay đóng.</translation>
    </message>
    <message>
        <source>The account could not be saved: %1</source>
        <translation>Không lưu được tài khoản: %1</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Mail accounts</source>
        <translation>Tài khoản thư</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Thêm…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Xóa…</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Chuyển &amp;lên</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Chuyển &amp;xuống</translation>
    </message>
    <message>
        <source>Account &amp;name:</source>
        <translation>Tê&amp;n tài khoản:</translation>
    </message>
    <message>
        <source>Check for new mail every (minutes):</source>
        <translation>Kiểm tra thư mới mỗi (phút):</translation>
    </message>
    <message>
        <source>only when I ask</source>
        <translation>chỉ khi tôi yêu cầu</translation>
    </message>
    <message>
        <source>Check for new mail when Quay starts</source>
        <translation>Kiểm tra thư mới khi Quay khởi động</translation>
    </message>
    <message>
        <source>&amp;Identities:</source>
        <translation>&amp;Danh tính:</translation>
    </message>
    <message>
        <source>Add identity</source>
        <translation>Thêm danh tính</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Xóa danh tính</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Địa chỉ:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <source>Reply-To:</source>
        <translation>Trả lời tới:</translation>
    </message>
    <message>
        <source>Si&amp;gnature:</source>
        <translation>Chữ &amp;ký:</translation>
    </message>
    <message>
        <source>New &amp;password:</source>
        <translation>&amp;Mật khẩu mới:</translation>
    </message>
    <message>
        <source>leave empty to keep the saved one</source>
        <translation>để trống để giữ mật khẩu đã lưu</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>The account could not be saved: %1</source>
        <translation>Không lưu được tài khoản: %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Remove the account %1? Its settings and saved password are deleted.</source>
        <translation>Xóa tài khoản %1? Cấu hình và mật khẩu đã lưu của nó sẽ bị xóa.</translation>
    </message>
    <message>
        <source>The %1 messages downloaded by POP3 exist only on this computer; they are deleted too unless you export them first.</source>
        <translation>%1 thư đã tải về qua POP3 chỉ có trên máy tính này; chúng cũng sẽ bị xóa, trừ khi bạn xuất chúng ra trước.</translation>
    </message>
    <message>
        <source>The copy of its mail on this computer (%1 messages in %2 folders) is deleted; the mail itself stays on the server.</source>
        <translation>Bản sao thư trên máy tính này (%1 thư trong %2 thư mục) sẽ bị xóa; thư gốc vẫn còn trên máy chủ.</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Xóa tài khoản</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
</context>
<context>
    <name>AddressChip</name>
    <message>
        <source>Remove %1</source>
        <translation>Bỏ %1</translation>
    </message>
    <message>
        <source>This does not look like an e-mail address; double-click to correct it.</source>
        <translation>Đây có vẻ không phải địa chỉ e-mail; bấm đúp để sửa.</translation>
    </message>
</context>
<context>
    <name>AttachmentList</name>
    <message>
        <source>Attachments</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>folders cannot be attached</source>
        <translation>không thể đính kèm thư mục</translation>
    </message>
</context>
<context>
    <name>BigAttachDialog</name>
    <message>
        <source>Big attachments</source>
        <translation>Tệp đính kèm lớn</translation>
    </message>
    <message>
        <source>The attachments total %1, more than %2 that mail servers accept. Quay can upload them to one of your own servers and put links in the message instead.</source>
        <translation>Tổng dung lượng tệp đính kèm là %1, vượt quá mức %2 mà máy chủ thư chấp nhận. Quay có thể tải chúng lên một máy chủ của riêng bạn và chèn đường dẫn vào thư thay cho tệp.</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Máy chủ:</translation>
    </message>
    <message>
        <source>Folder on the server:</source>
        <translation>Thư mục trên máy chủ:</translation>
    </message>
    <message>
        <source>Its web address:</source>
        <translation>Địa chỉ web của nó:</translation>
    </message>
    <message>
        <source>Folder published at that address:</source>
        <translation>Thư mục được công bố ở địa chỉ đó:</translation>
    </message>
    <message>
        <source>Upload and link</source>
        <translation>Tải lên và chèn đường dẫn</translation>
    </message>
    <message>
        <source>Attach anyway</source>
        <translation>Vẫn đính kèm</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
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
    <message>
        <source>Untrusted certificate</source>
        <translation>Chứng chỉ không được tin cậy</translation>
    </message>
    <message>
        <source>The identity of %1 could not be verified</source>
        <translation>Không xác minh được danh tính của %1</translation>
    </message>
    <message>
        <source>Someone may be impersonating the server. Trust this certificate only if you know it is the server&apos;s own, for example because its fingerprint matches the one your administrator gave you.</source>
        <translation>Có thể ai đó đang mạo danh máy chủ. Chỉ tin cậy chứng chỉ này nếu bạn biết chắc nó là của máy chủ, chẳng hạn vì dấu vân tay khớp với dấu vân tay quản trị viên đưa cho bạn.</translation>
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
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ComposerEditor</name>
    <message>
        <source>&amp;Bold</source>
        <translation>Chữ đậ&amp;m</translation>
    </message>
    <message>
        <source>Make the selected text bold</source>
        <translation>In đậm đoạn chữ đã chọn</translation>
    </message>
    <message>
        <source>&amp;Italic</source>
        <translation>Chữ &amp;nghiêng</translation>
    </message>
    <message>
        <source>Make the selected text italic</source>
        <translation>In nghiêng đoạn chữ đã chọn</translation>
    </message>
    <message>
        <source>&amp;Underline</source>
        <translation>&amp;Gạch chân</translation>
    </message>
    <message>
        <source>Underline the selected text</source>
        <translation>Gạch chân đoạn chữ đã chọn</translation>
    </message>
    <message>
        <source>Bulleted list</source>
        <translation>Danh sách gạch đầu dòng</translation>
    </message>
    <message>
        <source>Start or end a bulleted list</source>
        <translation>Bắt đầu hoặc kết thúc danh sách gạch đầu dòng</translation>
    </message>
    <message>
        <source>Numbered list</source>
        <translation>Danh sách đánh số</translation>
    </message>
    <message>
        <source>Start or end a numbered list</source>
        <translation>Bắt đầu hoặc kết thúc danh sách đánh số</translation>
    </message>
    <message>
        <source>Insert &amp;link…</source>
        <translation>Chèn đường &amp;dẫn…</translation>
    </message>
    <message>
        <source>Turn the selected text into a link</source>
        <translation>Biến đoạn chữ đã chọn thành đường dẫn</translation>
    </message>
    <message>
        <source>Quote more</source>
        <translation>Trích dẫn sâu hơn</translation>
    </message>
    <message>
        <source>Increase the quote level of the paragraph</source>
        <translation>Tăng mức trích dẫn của đoạn văn</translation>
    </message>
    <message>
        <source>Quote less</source>
        <translation>Trích dẫn nông hơn</translation>
    </message>
    <message>
        <source>Decrease the quote level of the paragraph</source>
        <translation>Giảm mức trích dẫn của đoạn văn</translation>
    </message>
    <message>
        <source>Insert link</source>
        <translation>Chèn đường dẫn</translation>
    </message>
    <message>
        <source>Web address:</source>
        <translation>Địa chỉ web:</translation>
    </message>
</context>
<context>
    <name>ComposerShowcase</name>
    <message>
        <source>Binh Tran</source>
        <translation>Trần Thị Bình</translation>
    </message>
    <message>
        <source>Re: Q4 report</source>
        <translation>Re: Báo cáo quý 4</translation>
    </message>
    <message>
        <source>Hi Binh,

Here is the corrected report; could you check the costs section?

On 23/11/2026 09:00, Binh Tran wrote:
&gt; Please resend it with the December figures.
</source>
        <translation>Chào chị Bình,

Em gửi chị bản báo cáo đã sửa, chị xem giúp em phần chi phí nhé.

Vào 23/11/2026 09:00, Trần Thị Bình đã viết:
&gt; Em gửi lại bản có số liệu tháng 12 giúp chị.
</translation>
    </message>
    <message>
        <source>q4-report.xlsx</source>
        <translation>bao-cao-quy-4.xlsx</translation>
    </message>
    <message>
        <source>contract.pdf</source>
        <translation>hop-dong.pdf</translation>
    </message>
</context>
<context>
    <name>ComposerWindow</name>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Từ:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>Đế&amp;n:</translation>
    </message>
    <message>
        <source>&amp;Cc:</source>
        <translation>&amp;Cc:</translation>
    </message>
    <message>
        <source>&amp;Bcc:</source>
        <translation>&amp;Bcc:</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>Tiêu đề (&amp;S):</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation>Bcc</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Nội dung thư</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Gửi</translation>
    </message>
    <message>
        <source>Send the message now (through the outbox)</source>
        <translation>Gửi thư ngay (qua hộp thư đi)</translation>
    </message>
    <message>
        <source>Send &amp;later…</source>
        <translation>Gửi &amp;sau…</translation>
    </message>
    <message>
        <source>Choose a date and time to send the message</source>
        <translation>Chọn ngày giờ gửi thư</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>Đính &amp;kèm…</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Đính kèm tệp</translation>
    </message>
    <message>
        <source>Save &amp;draft</source>
        <translation>Lưu &amp;nháp</translation>
    </message>
    <message>
        <source>Save the message in Drafts</source>
        <translation>Lưu thư vào Thư nháp</translation>
    </message>
    <message>
        <source>&amp;Discard draft</source>
        <translation>&amp;Bỏ bản nháp</translation>
    </message>
    <message>
        <source>Close and delete this draft</source>
        <translation>Đóng và xóa bản nháp này</translation>
    </message>
    <message>
        <source>&amp;Rich text</source>
        <translation>Văn bản có định &amp;dạng</translation>
    </message>
    <message>
        <source>Write with formatting (sent with a plain-text copy)</source>
        <translation>Soạn có định dạng (gửi kèm một bản văn bản thuần)</translation>
    </message>
    <message>
        <source>Check &amp;spelling</source>
        <translation>Kiểm tra &amp;chính tả</translation>
    </message>
    <message>
        <source>Underline words the dictionaries do not know</source>
        <translation>Gạch chân các từ không có trong từ điển</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đón&amp;g</translation>
    </message>
    <message>
        <source>Close the window; the message is kept in Drafts</source>
        <translation>Đóng cửa sổ; thư được giữ trong Thư nháp</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Thư</translation>
    </message>
    <message>
        <source>F&amp;ormat</source>
        <translation>Định &amp;dạng</translation>
    </message>
    <message>
        <source>Composer</source>
        <translation>Soạn thư</translation>
    </message>
    <message>
        <source>Formatting</source>
        <translation>Định dạng</translation>
    </message>
    <message>
        <source>Write: %1</source>
        <translation>Soạn: %1</translation>
    </message>
    <message>
        <source>Write: (no subject)</source>
        <translation>Soạn: (không tiêu đề)</translation>
    </message>
    <message>
        <source>Loading the original message…</source>
        <translation>Đang tải thư gốc…</translation>
    </message>
    <message>
        <source>The original message could not be loaded: %1</source>
        <translation>Không tải được thư gốc: %1</translation>
    </message>
    <message>
        <source>On %1, %2 wrote:</source>
        <translation>Vào %1, %2 đã viết:</translation>
    </message>
    <message>
        <source>%1 wrote:</source>
        <translation>%1 đã viết:</translation>
    </message>
    <message>
        <source>-------- Forwarded Message --------</source>
        <translation>-------- Thư chuyển tiếp --------</translation>
    </message>
    <message>
        <source>The saved draft could not be found.</source>
        <translation>Không tìm thấy bản nháp đã lưu.</translation>
    </message>
    <message>
        <source>Draft restored.</source>
        <translation>Đã khôi phục bản nháp.</translation>
    </message>
    <message>
        <source>Some files could not be attached:</source>
        <translation>Không đính kèm được một số tệp:</translation>
    </message>
    <message>
        <source>pasted image</source>
        <translation>ảnh dán</translation>
    </message>
    <message>
        <source>Attaching messages…</source>
        <translation>Đang đính kèm thư…</translation>
    </message>
    <message>
        <source>The message could not be attached: %1</source>
        <translation>Không đính kèm được thư: %1</translation>
    </message>
    <message>
        <source>Draft saved at %1.</source>
        <translation>Đã lưu nháp lúc %1.</translation>
    </message>
    <message>
        <source>The draft could not be saved: %1</source>
        <translation>Không lưu được bản nháp: %1</translation>
    </message>
    <message>
        <source>Set up a mail account first (Mail → Add account).</source>
        <translation>Hãy thiết lập một tài khoản thư trước (Thư → Thêm tài khoản).</translation>
    </message>
    <message>
        <source>Add at least one recipient.</source>
        <translation>Hãy thêm ít nhất một người nhận.</translation>
    </message>
    <message>
        <source>These addresses look wrong: %1</source>
        <translation>Các địa chỉ này có vẻ sai: %1</translation>
    </message>
    <message>
        <source>The message says “%1” but nothing is attached. Send it anyway?</source>
        <translation>Thư có nhắc “%1” nhưng chưa đính kèm gì. Vẫn gửi?</translation>
    </message>
    <message>
        <source>No attachment</source>
        <translation>Chưa có tệp đính kèm</translation>
    </message>
    <message>
        <source>The big files cannot be uploaded: %1</source>
        <translation>Không tải lên được các tệp lớn: %1</translation>
    </message>
    <message>
        <source>Uploading big attachments…</source>
        <translation>Đang tải lên các tệp đính kèm lớn…</translation>
    </message>
    <message>
        <source>Uploading big attachments: %1 of %2</source>
        <translation>Đang tải lên các tệp đính kèm lớn: %1 / %2</translation>
    </message>
    <message>
        <source>The message was not sent because an upload failed:</source>
        <translation>Thư chưa được gửi vì một tệp tải lên thất bại:</translation>
    </message>
    <message>
        <source>These files were too big for e-mail; download them here:</source>
        <translation>Các tệp này quá lớn để gửi qua e-mail; hãy tải về tại đây:</translation>
    </message>
    <message>
        <source>The message could not be queued for sending: %1</source>
        <translation>Không đưa được thư vào hàng đợi gửi: %1</translation>
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
        <source>Copy did not match</source>
        <translation>Bản sao không khớp</translation>
    </message>
    <message>
        <source>The copy did not match the original, so it was not kept.</source>
        <translation>Bản sao không khớp với bản gốc nên đã không được giữ lại.</translation>
    </message>
    <message>
        <source>Retry. If it fails again, the file may be changing while it is copied.</source>
        <translation>Hãy thử lại. Nếu vẫn lỗi, có thể tệp đang bị thay đổi trong lúc sao chép.</translation>
    </message>
    <message>
        <source>File gone</source>
        <translation>Tệp không còn nữa</translation>
    </message>
    <message>
        <source>The file is no longer there (or is a folder now).</source>
        <translation>Tệp không còn ở đó nữa (hoặc giờ là một thư mục).</translation>
    </message>
    <message>
        <source>Refresh the folder and choose again.</source>
        <translation>Hãy làm mới thư mục rồi chọn lại.</translation>
    </message>
    <message>
        <source>File already there</source>
        <translation>Tệp đã có sẵn</translation>
    </message>
    <message>
        <source>A file of the same name is already there, and nothing was decided.</source>
        <translation>Đã có một tệp cùng tên ở đó và chưa có lựa chọn nào được đưa ra.</translation>
    </message>
    <message>
        <source>Retry and choose whether to overwrite, resume, rename or skip.</source>
        <translation>Hãy thử lại và chọn ghi đè, tiếp tục, đổi tên hay bỏ qua.</translation>
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
        <source>Cannot open the link</source>
        <translation>Không mở được liên kết</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Đang kết nối tới %1…</translation>
    </message>
    <message>
        <source>The key&apos;s passphrase is needed to connect.</source>
        <translation>Cần cụm mật khẩu của khoá để kết nối.</translation>
    </message>
    <message>
        <source>A password is needed to connect.</source>
        <translation>Cần mật khẩu để kết nối.</translation>
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
        <source>Send the password unencrypted?</source>
        <translation>Gửi mật khẩu mà không mã hoá?</translation>
    </message>
    <message>
        <source>%1 uses plain FTP: the connection is not encrypted.</source>
        <translation>%1 dùng FTP thường: kết nối không được mã hoá.</translation>
    </message>
    <message>
        <source>Your password and every file would cross the network as they are: anyone on the networks in between could read them and use the password. Prefer FTPS or SFTP if the server offers them.

Send the password unencrypted to this server anyway?</source>
        <translation>Mật khẩu và mọi tệp của bạn sẽ đi qua mạng y nguyên: bất kỳ ai trên các mạng ở giữa đều có thể đọc được và dùng mật khẩu đó. Hãy ưu tiên FTPS hoặc SFTP nếu máy chủ hỗ trợ.

Vẫn gửi mật khẩu không mã hoá tới máy chủ này?</translation>
    </message>
    <message>
        <source>Your answer is kept with the site; you can change it in the Site Manager.</source>
        <translation>Câu trả lời của bạn được lưu cùng trang; bạn có thể đổi lại trong Trình quản lý trang.</translation>
    </message>
    <message>
        <source>Send unencrypted</source>
        <translation>Gửi không mã hoá</translation>
    </message>
    <message>
        <source>Not connected: the password was not sent unencrypted.</source>
        <translation>Chưa kết nối: mật khẩu đã không được gửi đi khi không có mã hoá.</translation>
    </message>
    <message>
        <source>Type the name of the file on the server first.</source>
        <translation>Hãy gõ tên tệp trên máy chủ trước.</translation>
    </message>
    <message>
        <source>Select the local files to send, or type the name of a file in the local folder.</source>
        <translation>Hãy chọn các tệp cục bộ cần gửi, hoặc gõ tên một tệp trong thư mục cục bộ.</translation>
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
        <translation>Nếu quản trị viên đã xác nhận khóa thật sự thay đổi, hãy chủ động xóa khóa cũ: xóa dòng của %1 trong tệp máy chủ đã biết của Quay (%2), rồi kết nối lại và so sánh dấu vân tay mới.</translation>
    </message>
    <message>
        <source>the known hosts file</source>
        <translation>tệp khoá máy chủ đã biết</translation>
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
    <name>LocalPane</name>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Chuyển tiếp</translation>
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
    <name>MailBackend</name>
    <message>
        <source>No password is saved for this account.</source>
        <extracomment>The key earlier versions of the reader gave Local Folders in the cache (renamed on start). The app-wide switch (Settings → Mail → check interval): False turns every timed check off.</extracomment>
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
        <translation>Đã huỷ</translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation>Thao tác đã bị huỷ.</translation>
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
        <source>Delete permanently</source>
        <translation>Xóa vĩnh viễn</translation>
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
        <source>Tasks</source>
        <translation>Công việc</translation>
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
        <source>Save search</source>
        <translation>Lưu tìm kiếm</translation>
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
        <source>Add a mail account to start</source>
        <translation>Thêm một tài khoản thư để bắt đầu</translation>
    </message>
    <message>
        <source>Type your e-mail address and password: Quay finds the server settings for most providers.</source>
        <translation>Nhập địa chỉ e-mail và mật khẩu: Quay tự tìm thiết lập máy chủ cho hầu hết các nhà cung cấp.</translation>
    </message>
    <message>
        <source>Add an account…</source>
        <translation>Thêm tài khoản…</translation>
    </message>
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
        <source>This account has no %1 folder.</source>
        <translation>Tài khoản này không có thư mục %1.</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Không có gì để hoàn tác.</translation>
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
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
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
        <extracomment>How long an error from a background task stays in the status bar.</extracomment>
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
        <source>&amp;New message…</source>
        <translation>Thư &amp;mới…</translation>
    </message>
    <message>
        <source>Write a new message</source>
        <translation>Soạn một thư mới</translation>
    </message>
    <message>
        <source>Add &amp;mail account…</source>
        <translation>Thêm tài khoản &amp;thư…</translation>
    </message>
    <message>
        <source>Set up a mail account from your address and password</source>
        <translation>Thiết lập tài khoản thư từ địa chỉ và mật khẩu của bạn</translation>
    </message>
    <message>
        <source>Mail a&amp;ccounts…</source>
        <translation>&amp;Các tài khoản thư…</translation>
    </message>
    <message>
        <source>Edit, reorder or remove mail accounts, identities and signatures</source>
        <translation>Sửa, sắp xếp hoặc xóa tài khoản thư, danh tính và chữ ký</translation>
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
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Phím tắt</translation>
    </message>
    <message>
        <source>&amp;About Quay</source>
        <translation>&amp;Giới thiệu Quay</translation>
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
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
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
    <name>MessageListModel</name>
    <message>
        <source>Starred</source>
        <extracomment>Roles data() answers for a row; the delegate also asks for others (check state, colours) per cell.</extracomment>
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
        <translation>Đến</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
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
        <translation>(không tiêu đề)</translation>
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
        <source>&amp;Print…</source>
        <translation>&amp;In…</translation>
    </message>
    <message>
        <source>Print to P&amp;DF…</source>
        <translation>In ra tệp P&amp;DF…</translation>
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
        <translation>(không tiêu đề)</translation>
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
        <source>Print message</source>
        <translation>In thư</translation>
    </message>
    <message>
        <source>Print to PDF</source>
        <translation>In ra PDF</translation>
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
        <translation>Đã đọc</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Soạn thư</translation>
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
        <translation>Xóa</translation>
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
        <translation>Hủy</translation>
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
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QuayTray</name>
    <message>
        <source>&amp;Show Quay</source>
        <translation>&amp;Hiện Quay</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message numerus="yes">
        <source>Quay — %n unread message(s)</source>
        <translation>
            <numerusform>Quay — %n thư chưa đọc</numerusform>
        </translation>
    </message>
    <message>
        <source>Quay — no unread mail</source>
        <translation>Quay — không có thư chưa đọc</translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n thư mới</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Quay to read them.</source>
        <translation>Mở Quay để đọc.</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(không tiêu đề)</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>và %n thư khác</numerusform>
        </translation>
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
        <translation>Đã huỷ</translation>
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
        <translation> KiB/s</translation>
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
        <extracomment>Protocols in the order the UI lists them: the URL scheme words naming kind and security. How much the transfer threads give way to the window&apos;s thread (a nice value, Linux, per thread).</extracomment>
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
        <translation>Chuyển tiếp</translation>
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
        <source>TFTP has no folder listing: type a file name to get or put. Get saves it in the local folder; Put sends the files selected on the left (or the local file of that name).</source>
        <translation>TFTP không liệt kê được thư mục: hãy gõ tên tệp để lấy về hoặc gửi lên. Lấy về sẽ lưu tệp vào thư mục cục bộ; Gửi lên sẽ gửi các tệp đang chọn bên trái (hoặc tệp cục bộ có tên đó).</translation>
    </message>
    <message>
        <source>File name on the server, e.g. pxelinux.cfg/default</source>
        <translation>Tên tệp trên máy chủ, ví dụ pxelinux.cfg/default</translation>
    </message>
    <message>
        <source>File name on the server</source>
        <translation>Tên tệp trên máy chủ</translation>
    </message>
    <message>
        <source>&amp;Get</source>
        <translation>&amp;Lấy về</translation>
    </message>
    <message>
        <source>Download this file into the local folder</source>
        <translation>Tải tệp này về thư mục cục bộ</translation>
    </message>
    <message>
        <source>P&amp;ut</source>
        <translation>&amp;Gửi lên</translation>
    </message>
    <message>
        <source>Upload the selected local files (under this name when it is one file)</source>
        <translation>Tải lên các tệp cục bộ đang chọn (với tên này khi chỉ có một tệp)</translation>
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
        <source>Connected (TFTP: files by name)</source>
        <translation>Đã kết nối (TFTP: tệp theo tên)</translation>
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
    <name>SendLaterDialog</name>
    <message>
        <source>Send later</source>
        <translation>Gửi sau</translation>
    </message>
    <message>
        <source>The message waits in the outbox and is sent at this time:</source>
        <translation>Thư chờ trong hộp thư đi và được gửi vào lúc:</translation>
    </message>
    <message>
        <source>Send at</source>
        <translation>Gửi lúc</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <source>Incoming mail</source>
        <translation>Thư đến</translation>
    </message>
    <message>
        <source>Outgoing mail</source>
        <translation>Thư đi</translation>
    </message>
    <message>
        <source>&amp;Protocol:</source>
        <translation>&amp;Giao thức:</translation>
    </message>
    <message>
        <source>Ser&amp;ver:</source>
        <translation>&amp;Máy chủ:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>&amp;Cổng:</translation>
    </message>
    <message>
        <source>S&amp;ecurity:</source>
        <translation>&amp;Bảo mật:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Tên người &amp;dùng:</translation>
    </message>
    <message>
        <source>TLS (encrypted from the start)</source>
        <translation>TLS (mã hóa ngay từ đầu)</translation>
    </message>
    <message>
        <source>STARTTLS (upgrade to encryption)</source>
        <translation>STARTTLS (nâng cấp lên mã hóa)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>Leave messages on the server</source>
        <translation>Giữ thư lại trên máy chủ</translation>
    </message>
    <message>
        <source>Delete from the server after (days, 0 = never):</source>
        <translation>Xóa khỏi máy chủ sau (ngày, 0 = không bao giờ):</translation>
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
        <source>&amp;Hide the sender and subject (say only how many arrived)</source>
        <translation>Ẩ&amp;n người gửi và tiêu đề (chỉ báo số thư mới)</translation>
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
    <name>ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>Cửa sổ</translation>
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
        <source>Keyboard shortcuts</source>
        <translation>Phím tắt</translation>
    </message>
    <message>
        <source>Find a command or a key</source>
        <translation>Tìm lệnh hoặc phím</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Lệnh</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Tác dụng</translation>
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
        <source>Keys or SSH agent, then the password</source>
        <translation>Khoá hoặc SSH agent, sau đó đến mật khẩu</translation>
    </message>
    <message>
        <source>None (TFTP has no log-in)</source>
        <translation>Không có (TFTP không cần đăng nhập)</translation>
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
        <source>Binary (every byte as it is)</source>
        <translation>Nhị phân (giữ nguyên từng byte)</translation>
    </message>
    <message>
        <source>Automatic (text files as ASCII)</source>
        <translation>Tự động (tệp văn bản theo ASCII)</translation>
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
        <source>ASCII (convert line endings)</source>
        <translation>ASCII (chuyển đổi ký tự xuống dòng)</translation>
    </message>
    <message>
        <source>Allow sending the password unencrypted</source>
        <translation>Cho phép gửi mật khẩu không mã hoá</translation>
    </message>
    <message>
        <source>Plain FTP sends the password as it is: anyone on the networks in between can read it. Prefer FTPS or SFTP.</source>
        <translation>FTP thường gửi mật khẩu y nguyên: bất kỳ ai trên các mạng ở giữa đều đọc được. Hãy ưu tiên FTPS hoặc SFTP.</translation>
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
        <translation>Đây là lần đầu kết nối tới %1</translation>
    </message>
    <message>
        <source>Quay does not know this server&apos;s key yet. Compare the fingerprint below with the one your administrator or hosting company gives you before you accept it.</source>
        <translation>Quay chưa biết khóa của máy chủ này. Hãy so sánh dấu vân tay dưới đây với dấu vân tay do quản trị viên hoặc nhà cung cấp hosting đưa cho bạn trước khi chấp nhận.</translation>
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
<context>
    <name>WizardShowcase</name>
    <message>
        <source>Lan Nguyen</source>
        <translation>Nguyễn Thị Lan</translation>
    </message>
</context>
</TS>
