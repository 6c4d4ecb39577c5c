fn main() {
    gocua_app::start();
}
