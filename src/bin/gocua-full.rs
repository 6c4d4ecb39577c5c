//! The full build: the volunteer's app and the screens of leaders and
//! coordinators ([`gocua_app::builds`]).
fn main() {
    gocua_app::start(gocua_app::builds::StaffScreens::here());
}
