//! The volunteer's build: the staff screens open the full build ([`gocua_app::builds`]).
fn main() {
    gocua_app::start(gocua_app::builds::StaffScreens::elsewhere());
}
