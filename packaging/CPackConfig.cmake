# .deb of the desktop console and the headless engine: `cpack -G DEB` in the build dir.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/desktop/lambdesk.desktop DESTINATION share/applications)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/desktop/lambdesk.svg DESTINATION share/icons/hicolor/scalable/apps)
install(DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/guest/ DESTINATION share/lambdesk/guest USE_SOURCE_PERMISSIONS)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/blueprints/ DESTINATION share/lambdesk/blueprints OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lambdesk)
set(CPACK_PACKAGE_VENDOR "Lambdesk")
set(CPACK_PACKAGE_CONTACT "Lambdesk developers <dev@lambdesk.local>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop console and local engine for Lambda-style functions")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# What the engine runs functions with; the microVM backend's pieces are recommended, not required.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "bubblewrap, python3, qt6-qpa-plugins, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nodejs, runsc, qemu-system-x86, squashfs-tools, busybox-static")
include(CPack)
