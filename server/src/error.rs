//! The API's one error type, and how each error becomes an HTTP answer.
//!
//! Every error leaves as `{"error":{"code":…,"message":…}}` with its status;
//! messages are Vietnamese, for the volunteer. Database details are logged
//! and never sent.

use crate::db::DbError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gocua_domain::api::{ErrorBody, ErrorDetail};

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
    /// 401: sign-in refused; the same answer for an unknown user and a wrong password.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// 429: too many failed sign-ins for this account or from this address; `Retry-After` says when to try again.
    #[error("too many failed sign-ins")]
    TooManyAttempts { retry_after_secs: u64 },
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
    /// 500: a fault on our side; details are in the server log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidCursor => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } | ApiError::TooManyChanges { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::InvalidCursor => "invalid_cursor",
            ApiError::Unauthorized => "unauthorized",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::NotFound => "not_found",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::TooManyChanges { .. } => "too_many_changes",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ApiError::BadRequest(detail) => format!("Yêu cầu không đúng định dạng: {detail}"),
            ApiError::InvalidCursor => "Con trỏ đồng bộ không hợp lệ; hãy đồng bộ lại từ đầu.".into(),
            ApiError::Unauthorized => "Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại.".into(),
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
            ApiError::Internal(_) => "Máy chủ gặp lỗi, vui lòng thử lại sau.".into(),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound(_) => ApiError::NotFound,
            DbError::InvalidCursor => ApiError::InvalidCursor,

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
            error: ErrorDetail { code: self.code().to_owned(), message: self.message_vi(), fields: Vec::new() },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after_secs } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}
