#include "shell.h"

#include <chrono>

#include "audit/audit_log.h"
#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "catalog/catalog_store.h"
#include "domain/code_payload.h"
#include "client/progress.h"
#include "client/settings.h"
#include "domain/device_health.h"
#include "idcard/reader_service.h"
#include "idcard/transport.h"
#include "outbox/application_store.h"
#include "outbox/delivery.h"
#include "outbox/feedback.h"
#include "outbox/receipt_token.h"
#include "printer/printer.h"
#include "docscan/scan_material.h"
#include "store/enrolled_settings.h"

namespace bianmin::ui {
namespace {

// Reader events go straight into the loop's inbox (and wake it).
class InboxSink final : public domain::IdCardEventSink {
 public:
  explicit InboxSink(Inbox& inbox) : inbox_(inbox) {}
  void on_idcard_event(domain::IdCardEvent event) override {
    using K = domain::IdCardEventKind;
    if (event.kind == K::reader_present || event.kind == K::reader_absent) {
      const char* state = event.kind == K::reader_present ? "ok" : "absent";
      inbox_.push(StatusChange{[state](DeviceStatus& s) { s.reader_state = state; }});
    }
    inbox_.push(session::Input{session::IdCard{std::move(event)}});
  }

 private:
  Inbox& inbox_;
};

void wipe_request(outbox::SubmitRequest& r) {
  r.draft.applicant.wipe();
  for (auto& [k, v] : r.draft.form) secure_wipe(v);
  r.draft.form.clear();
  for (auto& m : r.materials) secure_wipe(m.bytes);
  r.materials.clear();
}

}  // namespace

Shell::Shell(ShellOptions options, Inbox& inbox)
    : opt_(std::move(options)), inbox_(inbox), catalog_version_(opt_.catalog_version) {}

Shell::~Shell() { stop(); }

store::Store* Shell::store_on(std::unique_ptr<store::Store>& slot) {
  if (!slot) {
    auto s = store::Store::open(opt_.store);
    if (!s) {
      log::error("ui", "store unavailable", {{"error", s.error().code}, {"message", s.error().message}});
      return nullptr;
    }
    slot = std::move(*s);
  }
  return slot.get();
}

void Shell::start() {
  if (!opt_.idcard.empty()) {
    auto spec = drivers::idcard::parse_device_spec(opt_.idcard);
    if (!spec) {
      log::error("ui", "bad --idcard", {{"error", spec.error().message}});
    } else {
      reader_sink_ = std::make_unique<InboxSink>(inbox_);
      reader_ = std::make_unique<drivers::idcard::ReaderService>(drivers::idcard::make_transport(*spec), *reader_sink_);
      reader_->start();
    }
  } else {
    // No reader configured: say so, as a reader that is absent.
    domain::IdCardEvent e;
    e.kind = domain::IdCardEventKind::reader_absent;
    e.error_code = "not_configured";
    inbox_.push(session::Input{session::IdCard{e}});
  }
  camera_ = open_document_camera(opt_.camera);
  inbox_.push(StatusChange{[has = camera_ != nullptr](DeviceStatus& s) { s.camera_state = has ? "starting" : "absent"; }});
  if (camera_) {
    preview_ = std::thread([this] {
      while (!stopping()) {
        if (!preview_wanted_) {
          std::unique_lock lock(poll_mu_);
          poll_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_ || preview_wanted_.load(); });
          continue;
        }
        PreviewFrame f;
        if (camera_->preview(f, std::chrono::milliseconds(300))) inbox_.push(std::move(f));
        // ~10 frames a second is enough to frame a page, and cheap.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  if (auto pattern = domain::ReceiptUrlPattern::compile(opt_.receipt_query_url))
    receipt_pattern_ = std::make_shared<const domain::ReceiptUrlPattern>(std::move(*pattern));
  else
    log::error("ui", "receipt.query_url", {{"error", pattern.error().message}});
  // Raw codes go to the loop: the resident session takes receipts, service
  // mode takes the enrolment QR and shows what the scanner read.
  scanner_ = open_code_scanner(opt_.scanner, [this](std::string raw) { inbox_.push(RawCode{std::move(raw)}); });
  inbox_.push(StatusChange{[has = scanner_ != nullptr](DeviceStatus& s) { s.scanner_state = has ? "ok" : "absent"; }});
  if (opt_.printer.empty())
    inbox_.push(StatusChange{[](DeviceStatus& s) { s.printer_state = "absent"; }});
  poller_ = std::thread([this] {
    std::unique_lock lock(poll_mu_);
    while (!stop_) {
      lock.unlock();
      poll();
      lock.lock();
      poll_cv_.wait_for(lock, opt_.poll_interval, [&] { return stop_; });
    }
  });
}

void Shell::stop() {
  {
    std::lock_guard lock(poll_mu_);
    stop_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
  if (preview_.joinable()) preview_.join();
  scanner_.reset();
  {
    std::lock_guard lock(reader_mu_);
    if (reader_) reader_->stop();
  }
  store_worker_.stop();
  printer_worker_.stop();
  camera_worker_.stop();
  net_worker_.stop();
  hall_worker_.stop();
}

void Shell::wipe() {}

void Shell::want_preview(bool on) {
  if (preview_wanted_.exchange(on) != on) poll_cv_.notify_all();
}

bool Shell::stopping() {
  std::lock_guard lock(poll_mu_);
  return stop_;
}

void Shell::carry_out(session::Effect effect) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, session::DoSubmit>) {
          auto job = std::make_shared<session::DoSubmit>(std::move(e));
          store_worker_.post([this, job] { submit(*job); });
        } else if constexpr (std::is_same_v<E, session::DoPrintReceipt>) {
          printing_ = true;
          printer_worker_.post([this, id = e.client_id] { print_receipt(id); });
        } else if constexpr (std::is_same_v<E, session::DoIssueTicket>) {
          hall_worker_.post([this, line = e.line] { issue_ticket(line); });
        } else if constexpr (std::is_same_v<E, session::DoCapture>) {
          camera_worker_.post([this, id = e.material_id] { capture(id); });
        } else if constexpr (std::is_same_v<E, session::DoQueryProgress>) {
          net_worker_.post([this, no = e.receipt_no, tok = e.token] { query_progress(no, tok); });
        } else if constexpr (std::is_same_v<E, session::DoStoreRating>) {
          outbox::RatingInput r;
          r.client_id = e.client_id;
          r.item_code = e.item_code;
          r.level = e.level;
          r.tags = e.tags;
          store_worker_.post([this, r] {
            store::Store* s = store_on(store_conn_);
            auto id = s ? outbox::add_rating(*s, r) : Result<std::string>(make_error("store_unavailable", ""));
            if (!id) log::error("ui", "rating not stored", {{"error", id.error().code}});
            inbox_.push(session::Input{session::FeedbackStored{}});
            outbox::wake_sync_daemon(opt_.store.data_dir);
          });
        } else if constexpr (std::is_same_v<E, session::DoStoreComplaint>) {
          auto job = std::make_shared<outbox::ComplaintInput>();
          job->about = e.about;
          job->text = std::move(e.text);
          job->contact_phone = std::move(e.contact_phone);
          secure_wipe(e.text);
          store_worker_.post([this, job] {
            store::Store* s = store_on(store_conn_);
            auto id = s ? outbox::add_complaint(*s, *job) : Result<std::string>(make_error("store_unavailable", ""));
            if (!id) log::error("ui", "complaint not stored", {{"error", id.error().code}});
            secure_wipe(job->text);
            if (job->contact_phone) secure_wipe(*job->contact_phone);
            inbox_.push(session::Input{session::FeedbackStored{}});
          });
        } else if constexpr (std::is_same_v<E, session::DoWakeSync>) {
          net_worker_.post([dir = opt_.store.data_dir] { outbox::wake_sync_daemon(dir); });
        } else if constexpr (std::is_same_v<E, session::DoAudit>) {
          store_worker_.post([this, type = e.type, detail = e.masked_detail] {
            store::Store* s = store_on(store_conn_);
            if (!s) return;
            audit::AuditLog log(s->db(), s->sealer());
            nlohmann::json data = nlohmann::json::object();
            if (!detail.empty()) data["detail"] = detail;
            data["channel"] = domain::channel_key(domain::Channel::kiosk);
            if (auto r = log.append(type, data); !r) log::warn("ui", "audit append failed", {{"error", r.error().code}});
          });
        } else if constexpr (std::is_same_v<E, session::DoWipe>) {
          wipe();
        }
      },
      effect);
}

void Shell::submit(session::DoSubmit& e) {
  store::Store* s = store_on(store_conn_);
  if (!s) {
    inbox_.push(session::Input{session::SubmitFailed{"store_unavailable", "the store cannot be opened"}});
    wipe_request(e.request);
    return;
  }
  outbox::SubmitService service(*s, opt_.terminal_code);
  auto r = service.submit(e.request);
  wipe_request(e.request);
  if (!r) {
    log::warn("ui", "submit failed", {{"error", r.error().code}});
    inbox_.push(session::Input{session::SubmitFailed{r.error().code, r.error().message}});
    return;
  }
  log::info("ui", "application stored", {{"receipt_no", r->receipt_no}});
  inbox_.push(session::Input{session::Submitted{r->client_id, r->receipt_no, r->submitted_at}});
}

void Shell::scan_document(const std::string& material_id) {
  drivers::docscan::ScanRequest req;
  req.device = opt_.document_scanner;
  const auto& cfg = opt_.config;
  req.scan.dpi = static_cast<int>(cfg.integer("document_scanner.dpi"));
  req.scan.mode = cfg.str("document_scanner.mode") == "grey" ? drivers::docscan::ScanMode::grey
                                                             : drivers::docscan::ScanMode::colour;
  req.scan.source = cfg.str("document_scanner.source") == "flatbed" ? drivers::docscan::ScanSource::flatbed
                                                                    : drivers::docscan::ScanSource::adf;
  req.max_pages = static_cast<int>(cfg.integer("document_scanner.max_pages"));
  // Each page goes to the screen as soon as it is finished; one is held
  // back so that the last can say it is the last.
  std::optional<session::PageCaptured> held;
  auto send_held = [&](bool more) {
    if (!held) return;
    held->more = more;
    inbox_.push(session::Input{std::move(*held)});
    held.reset();
  };
  auto done = drivers::docscan::scan_material(req, nullptr, [&](const drivers::docscan::MaterialPage& p, int) {
    send_held(true);
    held = session::PageCaptured{material_id, p.bytes, p.mime, 1, false};
  });
  if (!done) {
    log::warn("ui", "document scan failed", {{"error", done.error().code}});
    inbox_.push(session::Input{session::CaptureFailed{done.error().code}});
    return;
  }
  // The pages of an interrupted feed (a jam, an opened cover) are kept;
  // the clerk scans on from the next sheet.
  if (done->stopped) log::warn("ui", "document feed stopped", {{"error", done->stopped->code}});
  send_held(false);
}

void Shell::capture(const std::string& material_id) {
  if (!opt_.document_scanner.empty()) return scan_document(material_id);
  if (!camera_) {
    inbox_.push(session::Input{session::CaptureFailed{"camera_absent"}});
    return;
  }
  auto page = camera_->capture(material_id);
  if (!page) {
    inbox_.push(session::Input{session::CaptureFailed{page.error().code}});
    return;
  }
  session::PageCaptured p{material_id, std::move(page->bytes), page->mime, page->pages};
  inbox_.push(session::Input{std::move(p)});
}

void Shell::query_progress(const std::string& receipt_no, const std::string& token) {
  session::ProgressAnswer a;
  store::Store* s = store_on(net_conn_);
  std::optional<outbox::ApplicationRecord> local;
  if (s) {
    outbox::ApplicationStore apps(*s);
    if (auto r = apps.get(receipt_no); r && *r) local = **r;
  }
  std::string tok = token;
  if (tok.empty() && local && s) tok = outbox::receipt_token(s->sealer(), local->client_id);
  Result<sync::wire::Status> remote = make_error("not_found", "no token");
  if (s && !tok.empty()) remote = sync::query_progress(*s, sync::SyncSettings::from(opt_.config), receipt_no, tok);
  if (remote) {
    a.online = true;
    a.found = true;
    a.status = remote->status;
    a.updated_at = remote->updated_at;
    a.deadline = remote->deadline;
    a.overdue = remote->overdue;
    a.item_name = local ? local->item_name : remote->item_code;
    for (const auto& h : remote->history) a.history.emplace_back(h.status, h.at);
  } else if (remote.error().code == "not_found" && !tok.empty() && !local) {
    a.online = true;
    a.found = false;
  } else if (local) {
    // Offline (or the central does not know it yet): what this terminal knows.
    a.online = remote.error().code == "not_found";
    a.found = true;
    a.item_name = local->item_name;
    a.status = local->central_status.value_or(local->state == "queued" ? "queued" : "received");
    a.deadline = local->deadline.value_or("");
    a.history.emplace_back("submitted", local->submitted_at);
    if (local->delivered_at) a.history.emplace_back("received", *local->delivered_at);
    if (local->central_status && *local->central_status != "received")
      a.history.emplace_back(*local->central_status, "");
    const std::string today = time::now_rfc3339().substr(0, 10);
    a.overdue = !a.deadline.empty() && a.deadline.substr(0, 10) < today && !outbox::is_final_status(a.status);
    if (remote.error().code != "not_found") a.online = false;
  } else {
    a.online = remote.error().code == "not_found";
    a.found = false;
  }
  inbox_.push(session::Input{std::move(a)});
}

void Shell::record_health(const DeviceStatus& status) {
  const std::pair<domain::Device, std::string> states[] = {{domain::Device::id_reader, status.reader_state},
                                                           {domain::Device::printer, status.printer_state},
                                                           {domain::Device::camera, status.camera_state},
                                                           {domain::Device::scanner, status.scanner_state}};
  std::map<domain::Device, std::string> health;
  for (const auto& [device, state] : states)
    if (auto h = domain::heartbeat_state(device, state); !h.empty()) health[device] = h;
  store_worker_.post([this, health = std::move(health)] {
    store::Store* s = store_on(store_conn_);
    if (!s) return;
    for (const auto& [device, h] : health) {
      if (recorded_health_[device] == h) continue;
      if (auto st = s->set_setting(domain::health_setting_key(device), h); !st) {
        log::warn("ui", "cannot record device health", {{"error", st.error().message}});
        return;
      }
      recorded_health_[device] = h;
    }
  });
}

void Shell::poll() {
  // The hall display's number: one question at a time to the keeper.
  if (!hall_polling_.exchange(true)) {
    hall_worker_.post([this] {
      store::Store* s = store_on(hall_conn_);
      if (queue::HallQueue* hall = s ? hall_.get(*s) : nullptr) {
        auto called = hall->last_called();
        if (!called) hall_.failed("last_called", called.error());
        else hall_.succeeded();
        if (called && *called) {
          const std::string number = (*called)->number, window = (*called)->window_no;
          inbox_.push(StatusChange{[number, window](DeviceStatus& st) {
            st.called_ticket = number;
            st.called_window = window;
          }});
        }
      }
      hall_polling_ = false;
    });
  }
  store_worker_.post([this] {
    store::Store* s = store_on(store_conn_);
    if (!s) return;
    outbox::Delivery d(*s);
    if (auto sum = d.summary()) {
      const bool probed = sum->checked_at.has_value();
      const bool online = sum->online;
      const int64_t pending = sum->pending, delivered = sum->delivered;
      inbox_.push(StatusChange{[probed, online, pending, delivered](DeviceStatus& st) {
        if (probed) st.online = online;
        st.pending = pending;
        st.delivered = delivered;
      }});
    }
    catalog::CatalogStore cs(s->db());
    auto v = cs.active_version();
    if (v && *v && *v != catalog_version_) {
      if (auto active = cs.load_active()) {
        catalog_version_ = *v;
        inbox_.push(CatalogChange{std::make_shared<const catalog::Catalog>(std::move(active->catalog))});
      }
    }
  });
  if (camera_) {
    const std::string state = camera_->state();
    inbox_.push(StatusChange{[state](DeviceStatus& st) { st.camera_state = state; }});
  }
  if (!opt_.printer.empty() && !printing_) {
    printer_worker_.post([this] {
      if (printing_) return;
      auto addr = drivers::printer::parse_printer_address(opt_.printer);
      if (!addr) return;
      auto link = drivers::printer::open_transport(*addr, 1000);
      std::string state = "absent";
      if (link) state = drivers::printer::state_key(drivers::printer::query_status(**link).status.state);
      inbox_.push(StatusChange{[state](DeviceStatus& st) { st.printer_state = state; }});
    });
  }
}

}  // namespace bianmin::ui
