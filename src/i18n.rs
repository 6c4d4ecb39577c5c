//! Every sentence the volunteer reads, in Vietnamese, in one place.

pub const APP_NAME: &str = "Gõ Cửa";
pub const TAGLINE: &str = "Đi từng ngõ, gõ từng nhà, hướng dẫn từng người";
/// Also in index.html's first screen, word for word (tests/e2e/two-builds.test.mjs checks).
pub const INTRO: &str = "Sổ tay của Tổ công nghệ số cộng đồng: ghi từng lượt thăm hộ gia đình, những kỹ năng đã hướng dẫn và ngày hẹn quay lại. Dùng được cả khi không có sóng, tự đồng bộ khi có mạng.";
pub const GO_HOME: &str = "Về trang chủ";
pub const HOME_TITLE: &str = "Trang chủ";
pub const UPDATE_READY: &str = "Có phiên bản mới của Gõ Cửa.";
pub const UPDATE_APPLY: &str = "Cập nhật";
pub const IN_APP_COPY_LINK: &str = "Sao chép đường dẫn";
pub const IN_APP_LINK_COPIED: &str = "Đã sao chép. Dán đường dẫn vào trình duyệt để mở Gõ Cửa.";
pub const IN_APP_COPY_FAILED: &str = "Không sao chép được. Hãy giữ ngón tay lên đường dẫn bên dưới để sao chép.";
pub const IN_APP_OPEN_IN_CHROME: &str = "Mở bằng Chrome";
pub const INSTALL_TITLE: &str = "Đưa Gõ Cửa ra màn hình chính";
pub const INSTALL_WHY: &str = "Mở nhanh như một ứng dụng, kể cả khi mất sóng.";
pub const INSTALL_WHY_IOS: &str =
    "Trên iPhone, Safari xoá dữ liệu của trang sau 7 ngày không mở. Đưa Gõ Cửa ra màn hình chính để giữ các lượt thăm đã ghi.";
pub const INSTALL_STEPS_IOS: [&str; 2] =
    ["Bấm nút Chia sẻ (hình vuông có mũi tên hướng lên).", "Chọn “Thêm vào MH chính”, rồi bấm “Thêm”."];
pub const INSTALL_BUTTON: &str = "Cài đặt";
pub const INSTALL_LATER: &str = "Để sau";
pub const PAGE_NOT_FOUND: &str = "Không tìm thấy trang này";
pub const NOT_FOR_YOUR_ROLE: &str = "Màn hình này không dành cho tài khoản của bạn";
pub const ONLY_COORDINATORS: &str =
    "Chỉ điều phối viên xã thiết lập thôn, tổ, tài khoản và danh mục kỹ năng. Nếu cần thay đổi, hãy báo điều phối viên.";
pub const ONLY_PROVINCE: &str = "Trang tổng hợp của tỉnh dành cho cán bộ Sở Khoa học và Công nghệ.";
pub const ONLY_LEADERS_AND_COORDINATORS: &str =
    "Báo cáo và số liệu của tổ, của xã dành cho tổ trưởng và điều phối viên xã. Lượt thăm của bạn ở trang chủ.";
pub const PAGE_NOT_FOUND_EXPLAINED: &str =
    "Đường dẫn có thể bị gõ sai, bị cắt mất khi gửi qua tin nhắn, hoặc đã cũ. Dữ liệu trên điện thoại vẫn còn nguyên.";
pub const VISIT_NOT_FOUND: &str = "Không tìm thấy lượt thăm này";
pub const HOUSEHOLD_NOT_FOUND: &str = "Không tìm thấy hộ này";
pub const COMMUNITY_SESSION_NOT_FOUND: &str = "Không tìm thấy buổi học này";
pub const RECORD_NOT_FOUND_EXPLAINED: &str =
    "Điện thoại này không có bản ghi đó: có thể nó đã bị xóa, thuộc tổ khác, hoặc đường dẫn bị gõ sai.";
pub const NEEDS_NETWORK_ONCE: &str = "Màn hình này cần mạng một lần";
pub const NEEDS_NETWORK_ONCE_EXPLAINED: &str =
    "Điện thoại chưa tải phần này của Gõ Cửa. Hãy bật mạng rồi mở lại; sau đó dùng được cả khi mất sóng. Dữ liệu trên điện thoại vẫn còn nguyên.";
pub const OPENING_SCREEN: &str = "Đang mở…";
/// The sign-in form's words (the title, the fields, the button, [`LOGIN_NEEDS_NETWORK`] and
/// [`JOIN_LINK`]) are also in index.html's first screen, word for word, for a phone signed out
/// (tests/e2e/first-sign-in.test.mjs compares the two); [`LOGGING_IN`] in its inline script.
pub const LOGIN_TITLE: &str = "Đăng nhập";
pub const USERNAME: &str = "Tên đăng nhập";
pub const PASSWORD: &str = "Mật khẩu";
pub const LOGIN_BUTTON: &str = "Đăng nhập";
pub const LOGGING_IN: &str = "Đang đăng nhập…";
pub const LOGIN_NEEDS_NETWORK: &str =
    "Lần đăng nhập đầu tiên cần có mạng. Sau khi đăng nhập, ứng dụng dùng được cả khi không có mạng.";
pub const LOGIN_MISSING_FIELDS: &str = "Vui lòng nhập tên đăng nhập và mật khẩu.";
pub const LOGOUT: &str = "Đăng xuất";
pub fn join_while_signed_in(name: &str) -> String {
    format!("Máy này đang đăng nhập tài khoản {name}. Mã mời dành cho người mới: họ tham gia trên máy của họ.")
}
pub const JOIN_TITLE: &str = "Tham gia tổ công nghệ số";
pub const JOIN_EXPLAINED: &str = "Nhập mã mời tổ trưởng đưa cho bạn, rồi đặt tên đăng nhập và mật khẩu của riêng bạn.";
pub const JOIN_CODE: &str = "Mã mời";
pub const JOIN_CODE_MISSING: &str = "Mã mời: chưa nhập, vui lòng điền mã tổ trưởng đưa cho bạn.";
pub const JOIN_DISPLAY_NAME: &str = "Họ và tên";
pub const JOIN_USERNAME_HINT: &str = "Chữ không dấu, chữ số, dấu chấm hoặc gạch; ví dụ: lan.vu";
pub const JOIN_PASSWORD_HINT: &str = "Ít nhất 8 ký tự. Không dùng chung mật khẩu với tài khoản khác.";
pub const JOIN_BUTTON: &str = "Tham gia";
pub const JOINING: &str = "Đang tham gia…";
pub const JOIN_NEEDS_NETWORK: &str = "Tham gia tổ cần có mạng. Hãy thử lại khi điện thoại có sóng hoặc wifi.";
pub const JOIN_LINK: &str = "Bạn có mã mời? Tham gia tổ";
pub const LOGGING_OUT: &str = "Đang đồng bộ…";

/// Asked before signing out with records the server does not have yet.
/// What signing out asks first, if anything: about `unsynced` records kept
/// on the phone, and a visit being written (`draft`) that will be dropped.
pub fn logout_confirm(unsynced: usize, draft: bool) -> Option<String> {
    let kept = (unsynced > 0).then(|| {
        format!(
            "Còn {unsynced} bản ghi chưa gửi được lên máy chủ. Chúng (cùng thông tin các hộ liên quan) được giữ trên máy \
             này đến khi bạn đăng nhập lại và đồng bộ; mọi dữ liệu khác của hộ dân sẽ được xóa khỏi máy. "
        )
    });
    let dropped = draft.then_some("Lượt thăm đang ghi dở (chưa lưu) sẽ bị bỏ. ");
    (kept.is_some() || draft)
        .then(|| format!("{}{}Vẫn đăng xuất?", kept.unwrap_or_default(), dropped.unwrap_or_default()))
}

/// A sign-in refused because another user's records wait on this phone.
pub fn other_users_records(name: &str, unsynced: usize) -> String {
    format!(
        "Máy này còn {unsynced} bản ghi chưa đồng bộ của {name}. {name} cần đăng nhập lại trên máy này để gửi đi \
         trước khi người khác dùng máy."
    )
}

/// The sign-in page opened on a phone someone is already signed in on.
pub fn already_signed_in(name: &str) -> String {
    format!("Máy này đang đăng nhập với tài khoản {name}.")
}

pub const NEW_VISIT: &str = "Ghi lượt thăm";
pub const MY_VISITS: &str = "Lượt thăm của tôi";
pub const NO_VISITS_YET: &str = "Chưa có lượt thăm nào. Bấm \u{201c}Ghi lượt thăm\u{201d} sau mỗi nhà bạn đến.";
pub const VILLAGE: &str = "Thôn";
pub const CHOOSE_VILLAGE: &str = "Chọn thôn";
pub const HEAD_NAME: &str = "Tên chủ hộ";
pub const ADDRESS: &str = "Địa chỉ / số nhà";
pub const PHONE: &str = "Số điện thoại";
pub const PEOPLE_GUIDED: &str = "Số người được hướng dẫn";
pub const ELDERLY: &str = "Trong đó người cao tuổi (60+)";
pub const SKILLS: &str = "Kỹ năng đã hướng dẫn";
pub const SKILLS_BY_PROGRAMME: &str = "Kỹ năng khác, theo chương trình:";
pub const NOTE: &str = "Ghi chú";
pub const SAVE: &str = "Lưu lượt thăm";
pub const CANCEL: &str = "Hủy";
pub const FIX_ERRORS: &str = "Vui lòng sửa các mục được đánh dấu bên dưới.";
pub const DECREASE: &str = "Bớt một người";
pub const INCREASE: &str = "Thêm một người";

pub const STATE_PENDING: &str = "Chờ đồng bộ";
pub const STATE_SYNCED: &str = "Đã đồng bộ";
pub const STATE_REJECTED: &str = "Bị từ chối";
pub const STATE_CONFLICT: &str = "Xung đột";

pub const SYNC_NOW: &str = "Đồng bộ ngay";
pub const SYNCING: &str = "Đang đồng bộ…";
pub const ALL_SYNCED: &str = "Đã đồng bộ tất cả";
pub const OFFLINE: &str = "Đang ngoại tuyến — dữ liệu được lưu trên máy";
pub const NEVER_SYNCED: &str = "chưa đồng bộ lần nào";

pub fn pending_count(count: usize) -> String {
    format!("{count} mục chờ đồng bộ")
}

pub fn needs_attention(count: usize) -> String {
    format!("{count} mục cần bạn xem lại")
}

pub const NEEDS_ATTENTION_EXPLAINED: &str =
    "Có bản ghi bị sửa ở máy khác hoặc bị máy chủ từ chối. Mở bản ghi có nhãn đỏ để chọn bản giữ lại hoặc sửa lại.";

pub fn last_synced(when: &str) -> String {
    format!("Đồng bộ lần cuối: {when}")
}

pub fn people_count(count: u64) -> String {
    format!("{count} người")
}

pub fn skills_count(count: usize) -> String {
    format!("{count} kỹ năng")
}

pub const ERROR_NETWORK: &str = "Không kết nối được máy chủ. Dữ liệu vẫn an toàn trên máy, sẽ tự gửi lại khi có mạng.";
/// What was waiting went up, and bringing the team's changes down failed.
pub const ERROR_NETWORK_ON_PULL: &str =
    "Đã gửi lên máy chủ, nhưng chưa nhận được cập nhật của tổ vì mất kết nối. Sẽ tự thử lại khi có mạng.";
pub const ERROR_SESSION_EXPIRED: &str =
    "Phiên đăng nhập đã hết hạn. Dữ liệu vẫn an toàn trên máy; hãy đăng nhập lại để đồng bộ.";
pub const ERROR_UNEXPECTED_ANSWER: &str = "Máy chủ trả lời không như mong đợi. Vui lòng thử lại sau.";
pub const ERROR_STORAGE_FULL: &str =
    "Bộ nhớ của trình duyệt đã đầy nên chưa lưu được. Hãy kết nối mạng để đồng bộ, rồi thử lưu lại; lượt thăm đã lưu trước đó không bị mất.";
/// A sync that could not keep what the server sent (teammates' households, its answers).
pub const ERROR_STORAGE_FULL_ON_SYNC: &str =
    "Bộ nhớ của trình duyệt đã đầy nên chưa nhận hết thay đổi từ máy chủ. Mọi thứ đã lưu trên máy vẫn an toàn; \
    hãy xóa bớt dữ liệu của các trang web khác trong trình duyệt, ứng dụng sẽ tự đồng bộ lại.";
pub const ERROR_STORAGE_UNAVAILABLE: &str =
    "Trình duyệt không cho lưu dữ liệu. Hãy mở ứng dụng bằng Chrome (không dùng trình duyệt trong Zalo) và không dùng chế độ ẩn danh.";

pub fn corrupt_entries(count: usize) -> String {
    format!("{count} mục dữ liệu trên máy bị hỏng và đã được để riêng.")
}

pub fn server_error(message: &str) -> String {
    format!("Máy chủ báo lỗi: {message}")
}

pub const HOUSEHOLDS: &str = "Hộ gia đình";
pub const ADD_HOUSEHOLD: &str = "Thêm hộ";
pub const EDIT_HOUSEHOLD: &str = "Sửa thông tin hộ";
pub const SAVE_HOUSEHOLD: &str = "Lưu hộ";
pub const PHONE_OPTIONAL: &str = "Số điện thoại (không bắt buộc)";
pub const MEMBERS: &str = "Số thành viên trong hộ";
pub const SEARCH_HOUSEHOLDS: &str = "Tìm theo tên chủ hộ hoặc địa chỉ";
pub const ALL_VILLAGES: &str = "Tất cả các thôn";
/// Under a list cut at `shown` of `total` households: how to find the others.
pub fn more_households(shown: usize, total: usize) -> String {
    format!("Đang hiện {shown} trong {total} hộ. Gõ tên hoặc chọn thôn để tìm các hộ khác.")
}
pub const HOUSEHOLD_IN_LINK_UNKNOWN: &str =
    "Không tìm thấy trên máy này hộ mà đường dẫn nhắc tới. Hãy chọn hộ bên dưới.";
pub const NO_HOUSEHOLDS_FOUND: &str = "Không tìm thấy hộ nào. Có thể thêm hộ mới.";
pub const REACHED: &str = "Đã đến";
pub const NOT_REACHED: &str = "Chưa đến";
pub const VISIT_HISTORY: &str = "Các lượt thăm";
pub const NO_VISITS_HERE: &str = "Chưa có lượt thăm nào ở hộ này.";

pub fn only_teammates_visits(count: u32) -> String {
    format!("Tổ đã đến hộ này {count} lần; máy này chỉ giữ các lượt thăm do bạn ghi.")
}
pub const LOG_VISIT_HERE: &str = "Ghi lượt thăm hộ này";
pub const EDIT: &str = "Sửa";
pub const DELETE: &str = "Xóa";
pub const EDITED_VISIT_GONE_CONFIRM: &str = "Lượt thăm này vừa bị xóa trong lúc bạn sửa (tổ trưởng đã hủy, hoặc bạn đã xóa trên máy khác). Lưu những gì bạn vừa nhập thành một lượt thăm mới?";
pub const DELETE_VISIT_CONFIRM: &str = "Xóa lượt thăm này? Việc xóa sẽ được gửi lên máy chủ khi đồng bộ.";
pub const USE_THIS_HOUSEHOLD: &str = "Dùng hộ này";
pub const SAVE_ANYWAY: &str = "Vẫn lưu thành hộ mới";
pub const CONSENT_TITLE: &str = "Đọc cho hộ nghe trước khi ghi";
/// Read aloud to the household: who collects, why, who sees it, and its rights.
pub const CONSENT_NOTICE: &str = "Tổ công nghệ số cộng đồng của xã ghi họ tên chủ hộ, địa chỉ và số điện thoại của gia đình \
    để theo dõi và quay lại hướng dẫn kỹ năng số (phong trào \u{201c}Bình dân học vụ số\u{201d}). Chỉ thành viên tổ và cán bộ \
    xã phụ trách được xem; thông tin không dùng vào việc khác. Gia đình có thể không cho ghi, và có thể đề nghị xã sửa \
    hoặc xóa thông tin bất cứ lúc nào. Gia đình có đồng ý không?";
pub const CONSENT_YES: &str = "Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại";
pub const CONSENT_NO: &str = "Hộ không đồng ý: chỉ ghi thôn và số người";
pub const CONSENT_NOT_ASKED: &str = "Hãy đọc lời thông báo cho hộ nghe và chọn hộ có đồng ý hay không.";
pub const ANONYMOUS_HOUSEHOLD: &str = "Hộ không cho ghi thông tin";

/// Where a household is: its address (if it gave one) and village; for one
/// without an address, its size too, so that two such households of a village differ.
pub fn household_place(household: &gocua_domain::Household, village: &str) -> String {
    let size = household.members.filter(|_| household.address.is_empty()).map(|members| format!("{members} người"));
    [household.address.as_str(), village, size.as_deref().unwrap_or_default()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A household's village and, when recorded, how many people live in it (its page).
pub fn village_and_size(village: &str, members: Option<u32>) -> String {
    let size = members.map(|members| format!("{members} người"));
    [village, size.as_deref().unwrap_or_default()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// How a household is named on screen: its head, or that it gave no name.
pub fn household_name(household: &gocua_domain::Household) -> String {
    if household.consent {
        household.head_name.clone()
    } else {
        ANONYMOUS_HOUSEHOLD.to_owned()
    }
}

pub fn duplicate_warning(name: &str, address: &str, last: Option<(String, String)>) -> String {
    match last {
        Some((by, on)) => format!("Hộ này có vẻ đã được ghi: {name}, {address} — {by} đã thăm ngày {on}."),
        None => format!("Hộ này có vẻ đã được ghi: {name}, {address} — chưa có lượt thăm."),
    }
}

pub fn last_visit(by: &str, on: &str) -> String {
    format!("Lần cuối: {by}, {on}")
}

pub const HOUSEHOLD: &str = "Hộ được thăm";
pub const CHOOSE_HOUSEHOLD: &str = "Chọn hộ (gõ tên hoặc địa chỉ để tìm)";
pub const CHANGE_HOUSEHOLD: &str = "Đổi hộ";
pub const NEW_HOUSEHOLD: &str = "+ Hộ mới";
pub const OUTCOME: &str = "Kết quả";
pub const COME_BACK_ON: &str = "Hẹn quay lại ngày";
pub const VISITED_AT: &str = "Thời gian thăm";
pub const GUIDED: &str = "Hướng dẫn";
pub const COMPLETED: &str = "Hoàn thành";
pub const FOLLOW_UP_ON: &str = "Ngày cần theo dõi tiếp (không bắt buộc)";
pub const FOLLOW_UP_REASON: &str = "Việc cần làm khi quay lại";
pub const DISCARD: &str = "Bỏ bản nháp";
pub const EDIT_VISIT: &str = "Sửa lượt thăm";

pub const TODAY: &str = "Hôm nay";
pub const THIS_WEEK: &str = "Tuần này";
pub const FOLLOW_UPS_DUE: &str = "Cần quay lại hôm nay";
pub const FOLLOW_UPS_OVERDUE: &str = "Quá hạn";

/// Knocks, not households: a door knocked on twice counts twice, as on the dashboard.
pub fn doors_and_people(doors: u32, people: u64) -> String {
    format!("{doors} lượt gõ cửa · {people} người")
}

pub const DATA_TITLE: &str = "Dữ liệu trên máy";
pub const DATA_LINK: &str = "Dữ liệu trên máy và sao lưu";
pub const PERSISTED: &str = "Trình duyệt đã cam kết giữ dữ liệu của Gõ Cửa (không tự xóa khi máy đầy).";
pub const NOT_PERSISTED: &str =
    "Trình duyệt chưa cam kết giữ dữ liệu: hãy mở Gõ Cửa bằng Chrome và \u{201c}Thêm vào màn hình chính\u{201d}, và đồng bộ thường xuyên.";
pub const BACKUP: &str = "Sao lưu";
pub const BACKUP_HINT: &str =
    "Tải về một tệp chứa mọi hộ và lượt thăm chưa đồng bộ. Có thể nhập tệp này trên máy khác; bản ghi đã có sẽ không bị nhân đôi.";
pub const DOWNLOAD_BACKUP: &str = "Tải bản sao lưu";
pub const IMPORT_BACKUP: &str = "Nhập bản sao lưu";
pub const NOT_A_BACKUP: &str = "Tệp này không phải bản sao lưu của Gõ Cửa.";

pub fn storage_used(bytes: usize) -> String {
    format!("Gõ Cửa đang dùng {} KB bộ nhớ của trình duyệt trên máy này.", bytes.div_ceil(1024))
}

pub fn stored_counts(households: usize, visits: usize, pending: usize) -> String {
    format!("{households} hộ, {visits} lượt thăm; {pending} mục chờ đồng bộ.")
}

pub fn backup_saved(records: usize) -> String {
    format!("Đã tải bản sao lưu gồm {records} mục chưa đồng bộ.")
}

pub fn backup_imported(added: usize, already_here: usize) -> String {
    format!("Đã nhập {added} mục; {already_here} mục đã có trên máy nên bỏ qua.")
}
pub const STILL_LOADING: &str = "Đang đọc dữ liệu trên máy, vui lòng thử lại sau giây lát.";

pub fn skill_taught(label: &str, completed: bool) -> String {
    if completed {
        format!("{label} (hoàn thành)")
    } else {
        label.to_owned()
    }
}

pub const CONFLICT_TITLE: &str = "Hộ này đã được sửa ở máy khác";
pub const CONFLICT_WAITING: &str = "Đang chờ bản trên máy chủ; hãy đồng bộ khi có mạng để so sánh.";
pub const CONFLICT_CHOICE_EXPLAINED: &str =
    "Chỉ những mục khác nhau được liệt kê. «Giữ bản của tôi» lưu các giá trị đánh dấu ✓: \
     mục bạn đã sửa theo bản của bạn, mục chỉ máy khác sửa theo bản trên máy chủ. \
     «Dùng bản trên máy chủ» bỏ các sửa đổi của bạn.";
pub const EDITING_IN_CONFLICT: &str = "Hộ này đã được sửa ở máy khác. Mẫu dưới đây đã gộp: mục bạn đã sửa \
     theo bản của bạn, mục chỉ máy khác sửa theo bản trên máy chủ. Lưu là giữ bản này.";
pub const EDITING_VISIT_IN_CONFLICT: &str = "Lượt thăm này đã được sửa ở máy khác. Mẫu dưới đây đã gộp: phần \
     bạn đã sửa theo bản của bạn, phần chỉ máy khác sửa theo bản trên máy chủ. Lưu là giữ bản này.";
pub const EDITING_SESSION_IN_CONFLICT: &str = "Buổi sinh hoạt này đã được sửa ở máy khác. Mẫu dưới đây đã \
     gộp: mục bạn đã sửa theo bản của bạn, mục chỉ máy khác sửa theo bản trên máy chủ. Lưu là giữ bản này.";
pub const CONSENT_GIVEN: &str = "Đồng ý cho ghi thông tin";
pub const NOT_RECORDED: &str = "(không ghi)";
pub const YES: &str = "Có";
pub const NO: &str = "Không";
pub const MINE: &str = "Bản trên máy này";
pub const THEIRS: &str = "Bản trên máy chủ";
pub const KEEP_MINE: &str = "Giữ bản của tôi";
pub const TAKE_THEIRS: &str = "Dùng bản trên máy chủ";
pub const TAKE_THEIRS_CONFIRM: &str = "Bỏ các sửa đổi của bạn trên máy này và dùng bản trên máy chủ?";

pub const MY_DEVICES: &str = "Thiết bị đang đăng nhập";
pub const THIS_DEVICE: &str = "Máy này";
pub const UNKNOWN_DEVICE: &str = "Thiết bị không rõ";
pub const REVOKE: &str = "Thu hồi";
pub const REVOKE_CONFIRM: &str =
    "Thu hồi thiết bị này? Thiết bị sẽ phải đăng nhập lại; dữ liệu chưa đồng bộ trên đó vẫn được giữ lại.";
/// Said by every screen that asks the server (accounts, reports, downloads, the commune's set-up).
pub const NEEDS_NETWORK_HERE: &str =
    "Việc này cần có mạng. Hãy thử lại khi điện thoại có sóng hoặc wifi; ghi lượt thăm vẫn dùng được khi không có mạng.";
pub const TEAM_MEMBERS: &str = "Thành viên";
pub const INACTIVE: &str = "Đã ngừng hoạt động";
pub const DEVICES: &str = "Thiết bị";
pub const DEACTIVATE: &str = "Ngừng hoạt động";
pub const REACTIVATE: &str = "Kích hoạt lại";
pub const INVITE_TITLE: &str = "Mời thành viên mới";
pub const INVITE_EXPLAINED: &str =
    "Tạo một mã mời dùng một lần, hết hạn sau 7 ngày. Người được mời quét mã QR hoặc mở đường liên kết, rồi tự đặt mật khẩu.";
pub const INVITE_CREATE: &str = "Tạo mã mời";
pub const INVITE_CODE_IS: &str = "Mã mời (chỉ hiện một lần):";
pub const INVITES_OPEN: &str = "Mã mời chưa dùng";
pub const INVITE_CANCEL: &str = "Hủy mã";

pub fn last_used(when: &str) -> String {
    format!("Dùng lần cuối: {when}")
}

pub fn deactivate_confirm(name: &str) -> String {
    format!("Ngừng hoạt động tài khoản của {name}? Mọi thiết bị của người này sẽ bị đăng xuất; các lượt thăm đã ghi vẫn được giữ.")
}

pub fn invite_expires(when: &str) -> String {
    format!("Hết hạn: {when}")
}

pub fn invite_line(created_by: &str, expires: &str) -> String {
    format!("Do {created_by} tạo, hết hạn {expires}")
}
pub const TEAM: &str = "Tổ";
pub const CHOOSE_TEAM: &str = "Chọn tổ";
pub const INVITE_AS_LEADER: &str = "Mời làm tổ trưởng";
pub const COMMUNE_SETUP: &str = "Quản lý xã: thôn, tổ, kỹ năng, tài khoản, nhật ký";

pub const COMMUNE_SETUP_TITLE: &str = "Quản lý xã";
pub const VILLAGES_TITLE: &str = "Thôn và số hộ";
pub const VILLAGES_EXPLAINED: &str =
    "Số hộ của mỗi thôn là mẫu số để tính tỷ lệ hộ đã được đến (\u{201c}đến từng nhà\u{201d}). Cập nhật khi có số liệu mới.";
pub const HOUSEHOLD_COUNT: &str = "Số hộ";
pub const HOUSEHOLD_COUNT_NOT_A_NUMBER: &str = "Số hộ: hãy nhập một số nguyên, ví dụ 120.";
pub const NEW_VILLAGE: &str = "Thêm thôn";
pub const SAVE_ROW: &str = "Lưu";
pub const ADD: &str = "Thêm";
pub const TEAMS_TITLE: &str = "Các tổ công nghệ số cộng đồng";
pub const NEW_TEAM: &str = "Thêm tổ";
pub const NEW_ACCOUNT_TITLE: &str = "Tạo tài khoản";
pub const NEW_ACCOUNT_EXPLAINED: &str =
    "Thành viên mới nên vào tổ bằng mã mời. Tạo tài khoản trực tiếp khi cần, với mật khẩu tạm để người dùng đổi sau.";
pub const ROLE: &str = "Vai trò";
pub const NO_TEAM: &str = "Không thuộc tổ nào";
pub const TEMPORARY_PASSWORD: &str = "Mật khẩu tạm (ít nhất 8 ký tự)";
pub const CREATE_ACCOUNT: &str = "Tạo tài khoản";
pub const SKILLS_TITLE: &str = "Danh mục kỹ năng";
pub const SKILL_RETIRE: &str = "Ngừng dùng";
pub const SKILL_RESTORE: &str = "Dùng lại";
pub const BASIC_SKILL_HINT: &str =
    "Mỗi kỹ năng hoàn thành được tính cho kỹ năng số cơ bản nào trong 05 kỹ năng của mục tiêu quốc gia (mỗi hộ có ít nhất 01 người thành thạo). Đổi ở đây, số hộ đạt mục tiêu được tính lại ngay.";
pub const BASIC_SKILL_NONE: &str = "Không tính vào 05 kỹ năng";
pub fn basic_skill_of(label: &str) -> String {
    format!("Tính cho kỹ năng cơ bản của «{label}»")
}
pub const NEW_SKILL: &str = "Thêm kỹ năng";
pub const SKILL_GROUP: &str = "Nhóm (chương trình của kế hoạch)";
pub const SKILL_CODE: &str = "Mã kỹ năng";
pub const SKILL_CODE_HINT: &str = "Chữ không dấu, không đổi về sau; ví dụ: yte.datlich";
pub const AUDIT_TITLE: &str = "Nhật ký truy cập dữ liệu";
pub const MORE: &str = "Xem thêm";

pub fn village_saved(name: &str, households: u32) -> String {
    format!("Đã lưu: {name} có {households} hộ.")
}

pub fn member_count(members: u32) -> String {
    format!("{members} thành viên")
}

pub fn account_created(name: &str, username: &str) -> String {
    format!("Đã tạo tài khoản cho {name}: tên đăng nhập {username}.")
}

/// What an audit log action means, for the coordinator reading it.
pub fn audit_action(action: &str) -> &str {
    match action {
        "household.created" => "ghi hộ mới",
        "household.changed" => "sửa thông tin hộ",
        "household.corrected" => "đính chính thông tin hộ",
        "household.erased" => "xóa thông tin cá nhân của hộ",
        "account.created" => "tạo tài khoản",
        "account.changed" => "sửa tài khoản",
        "account.deactivated" => "ngừng hoạt động tài khoản",
        "account.joined" => "tham gia tổ bằng mã mời",
        "session.revoked" => "thu hồi thiết bị",
        "invite.created" => "tạo mã mời",
        "invite.cancelled" => "hủy mã mời",
        "village.created" => "thêm thôn",
        "village.changed" => "sửa thôn",
        "team.created" => "thêm tổ",
        "team.changed" => "sửa tổ",
        "skill.created" => "thêm kỹ năng",
        "skill.changed" => "sửa kỹ năng",
        "export.visits" => "xuất danh sách lượt thăm",
        "export.report" => "xuất báo cáo quý",
        "visit.voided" => "hủy lượt thăm",
        "report.submitted" => "nộp báo cáo quý",
        "report.resubmitted" => "nộp lại báo cáo quý",
        "commune.created" => "tạo xã/phường",
        other => other,
    }
}
pub const ERASE_PERSONAL_DATA: &str = "Xóa thông tin cá nhân của hộ (theo yêu cầu của hộ)";
pub const ERASE_CONFIRM: &str =
    "Xóa vĩnh viễn họ tên, địa chỉ, số điện thoại của hộ này, cùng ghi chú và việc cần làm khi quay lại \
    trong các lượt thăm hộ, trên máy chủ và mọi điện thoại của tổ? Các lượt thăm vẫn được giữ để tính số liệu.";
pub const TEAMMATES_VISIT: &str = "Lượt thăm này do thành viên khác trong tổ ghi; chỉ người ghi mới sửa được.";
pub const VOID_VISIT: &str = "Hủy lượt thăm này (tổ trưởng)";
pub const VOID_CONFIRM: &str =
    "Hủy lượt thăm này? Lượt thăm sẽ không được tính nữa, trên máy chủ và trên điện thoại của người ghi.";
pub const EDIT_ACCOUNT: &str = "Sửa";
pub const NEW_PASSWORD: &str = "Mật khẩu mới (để trống nếu không đổi)";

pub const REPORTS_LINK: &str = "Báo cáo và xuất dữ liệu";
pub const REPORTS_TITLE: &str = "Báo cáo";
pub const EXPORT_TITLE: &str = "Xuất danh sách lượt thăm";
pub const PERIOD: &str = "Thời gian";
pub const THIS_MONTH: &str = "Tháng này";
pub const THIS_QUARTER: &str = "Quý này";
pub const CUSTOM_RANGE: &str = "Chọn ngày";
pub const FROM_DAY: &str = "Từ ngày";
pub const TO_DAY: &str = "Đến ngày";
pub const ALL_TEAMS: &str = "Tất cả các tổ";
pub const DOWNLOAD_CSV: &str = "Tải CSV";
pub const DOWNLOAD_XLSX: &str = "Tải Excel (XLSX)";

pub fn export_saved(file_name: &str, rows: Option<usize>) -> String {
    match rows {
        Some(rows) => format!("Đã tải {file_name}: {rows} lượt thăm."),
        None => format!("Đã tải {file_name}."),
    }
}

pub const DASHBOARD_TITLE: &str = "Số liệu";
pub const SHOW_FIGURES: &str = "Xem số liệu";
pub const DOORS_KNOCKED: &str = "Số nhà đã gõ cửa";
pub const HOUSEHOLDS_REACHED: &str = "Hộ đã đến";
/// The quarterly report counts households two ways; each says which.
pub const HOUSEHOLDS_REACHED_IN_QUARTER: &str = "Hộ đã đến trong quý";
pub const HOUSEHOLDS_REACHED_SO_FAR: &str = "Hộ đã đến (từ đầu đến hết quý)";
pub const HOUSEHOLDS_GUIDED: &str = "Hộ được hướng dẫn";
pub const PEOPLE_BY_GROUP: &str = "Người được hướng dẫn theo nhóm đối tượng";
pub const ELDERLY_AMONG_ADULTS: &str = "Trong đó người cao tuổi";
/// Coverage counts every household visited since the start, up to the period's end (docs/api.md).
pub const COVERAGE_BY_VILLAGE: &str = "Hộ đã từng đến (tính đến cuối kỳ) / tổng số hộ, theo thôn";
pub const DOORS_OVER_TIME: &str = "Số nhà gõ cửa theo ngày";
pub const BY_VOLUNTEER: &str = "Theo thành viên";
pub const SKILLS_GUIDED_COMPLETED: &str = "Kỹ năng: đã hướng dẫn / đã hoàn thành";
pub const DAY: &str = "Ngày";
pub const PEOPLE: &str = "Số người";
pub const SKILL: &str = "Kỹ năng";

pub fn figures_period(from: &str, to: &str, at: &str) -> String {
    format!("Từ {from} đến {to} · số liệu lúc {at}")
}

pub const QUARTERLY_TITLE: &str = "Báo cáo quý";
pub const QUARTER: &str = "Quý";
pub const SHOW_REPORT: &str = "Xem báo cáo";
pub const BY_PROGRAMME: &str = "Theo chương trình của kế hoạch";
pub const PROGRAMME: &str = "Chương trình";
pub const BY_VILLAGE: &str = "Theo thôn";
pub const BY_TEAM: &str = "Theo tổ";
pub const PRINT: &str = "In báo cáo (A4)";

pub fn report_heading(label: &str, commune: &str) -> String {
    format!("Báo cáo kết quả {label} – xã {commune}")
}

pub fn report_period(from: &str, to: &str) -> String {
    format!("Từ ngày {from} đến ngày {to}")
}

pub fn report_due(due: &str) -> String {
    format!("Hạn gửi báo cáo: {due}")
}

pub const SUBMIT_REPORT: &str = "Nộp báo cáo lên cấp trên";
pub const RESUBMIT_REPORT: &str = "Nộp lại với số liệu hiện tại";
pub const CONFIRM_SUBMIT_REPORT: &str = "Báo cáo quý sẽ được nộp với số liệu hiện tại và giữ nguyên như vậy \
     (đến hạn nộp vẫn có thể nộp lại). Nộp ngay?";
pub const REPORT_CLOSED: &str = "Đã quá hạn: báo cáo đã nộp được giữ nguyên.";

pub fn report_submitted(at: &str, by: &str, times: u32) -> String {
    if times > 1 {
        format!("Đã nộp lúc {at} bởi {by} (lần {times}).")
    } else {
        format!("Đã nộp lúc {at} bởi {by}.")
    }
}

pub fn report_generated(at: &str) -> String {
    format!("Số liệu lập lúc {at} từ Gõ Cửa.")
}
pub const DOWNLOAD_REPORT_XLSX: &str = "Tải báo cáo quý (Excel)";
pub const FOLLOW_UPS_OWED: &str = "Hộ đang chờ quay lại";
pub const NO_FOLLOW_UPS_OWED: &str = "Không có hộ nào đang chờ.";
pub const OVERDUE: &str = "Quá hạn";
pub fn follow_ups_listed(listed: usize, total: u32) -> String {
    format!("{listed} hộ đến hạn sớm nhất, trong tổng số {total} hộ đang chờ.")
}

pub const COMMUNITY_SESSIONS: &str = "Buổi học cộng đồng";
pub const COMMUNITY_SESSIONS_HINT: &str =
    "Buổi học tại nhà văn hóa, trường học, Ngày hội toàn dân học tập số (10/10): một địa điểm, một ngày, nhiều người. \
     Được tính riêng, không tính là hộ đã đến.";
pub const NEW_COMMUNITY_SESSION: &str = "Ghi buổi học cộng đồng";
pub const EDIT_COMMUNITY_SESSION: &str = "Sửa buổi học cộng đồng";
pub const NO_COMMUNITY_SESSIONS_YET: &str = "Chưa có buổi học nào.";
pub const PLACE: &str = "Địa điểm (nhà văn hóa, trường học…)";
pub const HELD_ON: &str = "Ngày tổ chức";
pub const SESSION_TOPICS: &str = "Nội dung đã hướng dẫn";
pub const ATTENDEES: &str = "Số người tham dự";
pub const SAVE_COMMUNITY_SESSION: &str = "Lưu buổi học";
pub const EDITED_COMMUNITY_SESSION_GONE_CONFIRM: &str = "Buổi học cộng đồng này vừa bị xóa trong lúc bạn sửa (trên máy khác). Lưu những gì bạn vừa nhập thành một buổi mới?";
pub const DELETE_COMMUNITY_SESSION_CONFIRM: &str =
    "Xóa buổi học này? Sau khi đồng bộ, buổi học sẽ bị xóa trên máy chủ.";
pub const SOMEONE_ELSES_SESSION: &str = "Buổi học do người khác trong tổ ghi; chỉ người ghi mới sửa được.";

pub fn attendees_count(count: u64) -> String {
    format!("{count} người tham dự")
}
pub const AT_TARGET_BY_VILLAGE: &str = "Hộ đạt mục tiêu 5 kỹ năng số cơ bản, theo thôn";
pub const AT_TARGET_HINT: &str =
    "Hộ có người đã hoàn thành đủ 5 kỹ năng: dịch vụ công trực tuyến, mua sắm trực tuyến, \
     thanh toán trực tuyến, an toàn trên mạng, nền tảng số của địa phương.";
pub const HOUSEHOLDS_AT_TARGET: &str = "Hộ đạt mục tiêu";
pub const SESSIONS_COUNTED_APART: &str = "Tính riêng với lượt đến hộ: người tham dự không được tính là hộ đã đến.";
pub const SESSIONS_HELD: &str = "Số buổi học";

/// The title of the screen shown inside another app's browser: which browser to open instead.
pub fn in_app_title(ios: bool) -> &'static str {
    if ios {
        "Hãy mở Gõ Cửa bằng Safari"
    } else {
        "Hãy mở Gõ Cửa bằng Chrome"
    }
}

pub fn in_app_why(app: &str) -> String {
    format!(
        "Bạn đang mở Gõ Cửa trong trình duyệt của {app}. Trình duyệt này có thể xoá những gì đã ghi trên điện thoại \
         và không đưa được Gõ Cửa ra màn hình chính để dùng khi mất sóng."
    )
}

/// How to leave another app's browser for the phone's own, step by step.
pub fn in_app_steps(ios: bool) -> [&'static str; 3] {
    [
        "Bấm nút ⋯ (hoặc ⋮) ở góc trên bên phải.",
        "Chọn “Mở bằng trình duyệt”.",
        if ios {
            "Trong Safari, bấm nút Chia sẻ rồi chọn “Thêm vào MH chính”."
        } else {
            "Trong Chrome, chọn “Thêm vào màn hình chính”."
        },
    ]
}

pub fn in_app_stay(app: &str) -> String {
    format!("Vẫn dùng trong {app}")
}

// The province's view (a province account).
pub const PROVINCE_TITLE: &str = "Tiến độ các xã";
pub const PROVINCE_COVERAGE: &str = "Hộ đã đến / tổng số hộ của tỉnh";
pub const REPORTS_SUBMITTED: &str = "Xã đã nộp báo cáo quý";
pub const QUIET_COMMUNES: &str = "Xã không hoạt động 30 ngày";
pub const QUIET_30_DAYS: &str = "Không hoạt động 30 ngày";
pub const SORT_COMMUNES: &str = "Sắp xếp các xã theo";
pub const SORT_BY_NAME: &str = "Tên xã";
pub const SORT_BY_COVERAGE: &str = "Tỷ lệ hộ đã đến";
pub const SORT_BY_AT_TARGET: &str = "Tỷ lệ hộ đạt mục tiêu";
pub const SORT_BY_PEOPLE: &str = "Số người được hướng dẫn";
pub const SORT_BY_SESSIONS: &str = "Số buổi học";
pub const SORT_BY_ACTIVE_VOLUNTEERS: &str = "Thành viên hoạt động";
pub const SORT_BY_REPORT: &str = "Báo cáo quý (chưa nộp trước)";
pub const COVERAGE_BY_COMMUNE: &str = "Hộ đã đến / tổng số hộ, theo xã";
pub const PEOPLE_GUIDED_QUARTER: &str = "Người được hướng dẫn trong quý";
pub const ACTIVE_VOLUNTEERS_30_DAYS: &str = "Thành viên hoạt động (30 ngày)";

pub fn province_heading(province: &str) -> String {
    format!("Tiến độ các xã – {province}")
}

pub fn province_period(quarter: &str, due: &str, at: &str) -> String {
    format!("{quarter} · báo cáo quý hạn {due} · số liệu lúc {at}")
}
pub const NEW_COMMUNE_TITLE: &str = "Thêm xã/phường";
pub const NEW_COMMUNE_EXPLAINED: &str =
    "Xã/phường mới có sẵn danh mục kỹ năng chuẩn, chưa có thôn, tổ hay tài khoản nào: sau khi thêm, hãy mời điều phối viên của xã ở phần dưới.";
pub const NEW_COMMUNE_NAME: &str = "Tên xã/phường";
pub const NEW_COMMUNE_ADD: &str = "Thêm xã/phường";

pub fn commune_added(name: &str) -> String {
    format!("Đã thêm {name}. Hãy mời điều phối viên của xã ở phần dưới.")
}
pub const INVITE_COORDINATOR_TITLE: &str = "Mời điều phối viên xã";
pub const INVITE_COORDINATOR_EXPLAINED: &str =
    "Mã dùng một lần, trong 7 ngày: điều phối viên của xã mở đường dẫn hoặc quét mã QR, rồi tự đặt tên đăng nhập và mật khẩu.";
pub const COMMUNE: &str = "Xã";
pub const CHOOSE_COMMUNE: &str = "Chọn xã";
pub const CONSOLIDATED_TITLE: &str = "Báo cáo tổng hợp quý";
pub const CONSOLIDATED_EXPLAINED: &str =
    "Báo cáo các xã đã nộp, kèm số liệu hiện tại trong ngoặc; in trên một trang A4 hoặc tải Excel để gửi tiếp.";
pub const CONSOLIDATED_SHOW: &str = "Xem báo cáo tổng hợp";
pub const SUBMITTED_BESIDE_LIVE: &str = "Số liệu theo báo cáo đã nộp; trong ngoặc là số liệu hiện tại nếu đã thay đổi.";
pub const REPORT_COLUMN: &str = "Báo cáo";
pub const TOTAL: &str = "Tổng cộng";
pub const NONE: &str = "không có";

pub fn consolidated_heading(quarter: &str, province: &str) -> String {
    format!("Báo cáo tổng hợp kết quả {quarter} – {province}")
}

pub fn not_submitted(communes: &str) -> String {
    format!("Xã chưa nộp báo cáo: {communes}")
}
