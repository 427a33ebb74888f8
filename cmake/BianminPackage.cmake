# The terminal's Debian package (cpack -G DEB), which image/build installs:
# the executable, the assets, the systemd units, the udev rules and the
# service user. Library dependencies come from dpkg-shlibdeps; the data the
# kiosk reads at run time (fonts, pinyin dictionary, eSpeak NG voices, Mesa's
# drivers) is listed by name.
install(FILES image/systemd/bianmin-syncd.service image/systemd/bianmin-kiosk.service
              image/systemd/bianmin-firstboot.service image/systemd/bianmin-health.service
              image/systemd/bianmin-reboot.path image/systemd/bianmin-reboot.service
        DESTINATION lib/systemd/system)
install(FILES image/udev/70-bianmin.rules DESTINATION lib/udev/rules.d)
install(FILES image/sysusers/bianmin.conf DESTINATION lib/sysusers.d)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bianmin)
set(CPACK_PACKAGE_VENDOR "bianmin")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Firmware of government-service self-service and counter terminals")
set(CPACK_PACKAGE_CONTACT "bianmin engineers <firmware@bianmin.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "fonts-noto-cjk, rime-data-luna-pinyin, espeak-ng-data, libgl1-mesa-dri, libegl1, libegl-mesa0, libgles2, libgl1, libgbm1, tzdata, systemd (>= 252)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/package/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
