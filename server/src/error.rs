//! The API's one error type, and how each error becomes an HTTP answer.
//!
//! Every error leaves as `{"error":{"code":…,"message":…}}` with its status;
//! messages are Vietnamese, for the volunteer. Database details are logged
//! and never sent.

use crate::db::{DbError, InviteProblem};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gocua_domain::api::{ErrorBody, ErrorDetail};
use gocua_domain::submission::SubmitRefusal;
use gocua_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not the JSON this endpoint takes.
    #[error("malformed request: {0}")]
    BadRequest(String),
    /// 400: a pull cursor the server never gave; pull again without one.
    #[error("invalid pull cursor")]
    InvalidCursor,
    /// 401: no token, or a token that is unknown, expired or revoked.
    #[error("not signed in")]
    Unauthorized,
    /// 401: this device's session was revoked (a lost phone); its unsynced records stay on it.
    #[error("session revoked")]
    SessionRevoked,
    /// 403: the user's role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 401: sign-in refused; the same answer for an unknown user and a wrong password.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// 429: too many failed sign-ins for this account or from this address; `Retry-After` says when to try again.
    #[error("too many failed sign-ins")]
    TooManyAttempts { retry_after_secs: u64 },
    /// 400: fields of a form (an account, a village…) that break a rule; each is named.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 400: an invite code that cannot be used.
    #[error("invite cannot be used: {0:?}")]
    Invite(InviteProblem),
    /// 404: no such endpoint or record.
    #[error("not found")]
    NotFound,
    /// 405: the endpoint exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 413: the body is over the size limit.
    #[error("body too large")]
    PayloadTooLarge { limit_bytes: usize },
    /// 413: a push carries more changes than one batch may.
    #[error("too many changes in one push")]
    TooManyChanges { limit: usize },
    /// 400 (the quarter has not begun) or 409 (submitted, and past its due
    /// date): a quarterly report that may not be submitted.
    #[error("report submission refused: {0:?}")]
    Submission(SubmitRefusal),
    /// 409: a province inviting a coordinator to a commune that has an active
    /// one — the commune's own coordinators make and invite its accounts.
    #[error("the commune has a coordinator")]
    CommuneHasCoordinator,
    /// 500: a fault on our side; details are in the server log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidCursor | ApiError::Validation(_) | ApiError::Invite(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::Unauthorized | ApiError::SessionRevoked | ApiError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } | ApiError::TooManyChanges { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Submission(SubmitRefusal::NotStarted) => StatusCode::BAD_REQUEST,
            ApiError::Submission(SubmitRefusal::Closed { .. }) | ApiError::CommuneHasCoordinator => {
                StatusCode::CONFLICT
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::InvalidCursor => "invalid_cursor",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Invite(InviteProblem::Unknown) => "invite_unknown",
            ApiError::Invite(InviteProblem::Expired) => "invite_expired",
            ApiError::Invite(InviteProblem::Used) => "invite_used",
            ApiError::Unauthorized => "unauthorized",
            ApiError::SessionRevoked => "session_revoked",
            ApiError::Forbidden => "forbidden",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::NotFound => "not_found",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::TooManyChanges { .. } => "too_many_changes",
            ApiError::Submission(SubmitRefusal::NotStarted) => "quarter_not_started",
            ApiError::Submission(SubmitRefusal::Closed { .. }) => "report_closed",
            ApiError::CommuneHasCoordinator => "commune_has_coordinator",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ApiError::BadRequest(detail) => format!("Yêu cầu không đúng định dạng: {detail}"),
            ApiError::Validation(fields) => {
                fields.iter().map(FieldError::message_vi).collect::<Vec<_>>().join(" ")
            }
            ApiError::Invite(InviteProblem::Unknown) => {
                "Mã mời không đúng hoặc đã bị hủy. Hãy kiểm tra lại hoặc xin tổ trưởng mã mới.".into()
            }
            ApiError::Invite(InviteProblem::Expired) => "Mã mời đã hết hạn. Hãy xin tổ trưởng mã mới.".into(),
            ApiError::Invite(InviteProblem::Used) => {
                "Mã mời này đã được dùng. Mỗi mã chỉ dùng được một lần; hãy xin tổ trưởng mã mới.".into()
            }
            ApiError::InvalidCursor => "Con trỏ đồng bộ không hợp lệ; hãy đồng bộ lại từ đầu.".into(),
            ApiError::Unauthorized => "Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại.".into(),
            ApiError::SessionRevoked => "Thiết bị này đã bị thu hồi quyền truy cập. Dữ liệu chưa đồng bộ vẫn được giữ trên máy; hãy đăng nhập lại để gửi đi.".into(),
            ApiError::Forbidden => "Tài khoản của bạn không có quyền làm việc này.".into(),
            ApiError::InvalidCredentials => "Sai tên đăng nhập hoặc mật khẩu.".into(),
            ApiError::NotFound => "Không tìm thấy.".into(),
            ApiError::TooManyAttempts { retry_after_secs } => {
                format!("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {} phút.", retry_after_secs.div_ceil(60))
            }
            ApiError::MethodNotAllowed => "Phương thức không được hỗ trợ cho địa chỉ này.".into(),
            ApiError::PayloadTooLarge { limit_bytes } => {
                format!("Dữ liệu gửi lên quá lớn (tối đa {} KB), hãy gửi thành nhiều lần.", limit_bytes / 1024)
            }
            ApiError::TooManyChanges { limit } => {
                format!("Mỗi lần đồng bộ tối đa {limit} thay đổi, hãy gửi thành nhiều lần.")
            }
            ApiError::Submission(refusal) => refusal.message_vi(),
            ApiError::CommuneHasCoordinator => "Xã này đã có điều phối viên: tài khoản mới của xã do điều phối viên xã tạo \
                                                  hoặc mời. Sở chỉ mời điều phối viên cho xã chưa có ai."
                .into(),
            ApiError::Internal(_) => "Máy chủ gặp lỗi, vui lòng thử lại sau.".into(),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound(_) => ApiError::NotFound,
            DbError::InvalidCursor => ApiError::InvalidCursor,
            DbError::Invite(problem) => ApiError::Invite(problem),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.message_vi(),
                fields: match &self {
                    ApiError::Validation(fields) => fields.clone(),
                    _ => Vec::new(),
                },
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after_secs } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}
