// The shell's hooks for service mode: lending the ID reader to the diagnose
// command, taking up a new enrolment, and telling receipts from other codes.
#include "base/bytes.h"
#include "base/log.h"
#include "idcard/reader_service.h"
#include "shell.h"
#include "store/enrolled_settings.h"

namespace bianmin::ui {

void Shell::pause_reader(bool paused) {
  std::lock_guard lock(reader_mu_);
  if (!reader_) return;
  if (paused) reader_->stop();
  else if (!stopping()) reader_->start();
}

void Shell::reload_enrolment() {
  store_worker_.post([this] {
    store::Store* s = store_on(store_conn_);
    if (!s) return;
    auto setting = [&](const char* key) {
      auto v = store::enrolled_or_configured(*s, opt_.config, key);
      return v ? *v : std::string();
    };
    // Only the store worker reads terminal_code (submit).
    opt_.terminal_code = setting("terminal.code");
    const std::string hall = setting("terminal.hall_name"), code = opt_.terminal_code;
    if (auto pattern = domain::ReceiptUrlPattern::compile(setting("receipt.query_url"))) {
      std::lock_guard lock(pattern_mu_);
      receipt_pattern_ = std::make_shared<const domain::ReceiptUrlPattern>(std::move(*pattern));
    }
    inbox_.push(StatusChange{[hall, code](DeviceStatus& st) {
      st.hall_name = hall;
      st.terminal_code = code;
    }});
    log::info("ui", "enrolment taken up", {{"terminal_code", code}});
  });
}

session::CodeScanned Shell::resident_code(std::string raw) {
  session::CodeScanned c;
  std::shared_ptr<const domain::ReceiptUrlPattern> pattern;
  {
    std::lock_guard lock(pattern_mu_);
    pattern = receipt_pattern_;
  }
  if (pattern) {
    auto payload = domain::parse_code_payload(raw, *pattern);
    if (payload.kind == domain::PayloadKind::receipt && payload.receipt) {
      c.is_receipt = true;
      c.receipt_no = payload.receipt->receipt_no;
      c.token = payload.receipt->token;
    }
    secure_wipe(payload.text);
  }
  secure_wipe(raw);
  return c;
}

}  // namespace bianmin::ui
