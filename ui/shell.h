// The kiosk's shell: carries out the session's effects on workers and
// feeds each outcome back as a session input through the Inbox.
//
//   store worker    submit (durable before anything else), ratings,
//                   complaints, audit, delivery summary, catalogue changes
//   printer worker  receipts, printer status
//   camera worker   page capture
//   net worker      progress queries, waking the sync daemon
//
// Every worker opens its own store connection (SQLite WAL; syncd shares
// the file), so none waits on another's transaction.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "hall_queue_slot.h"
#include "devices.h"
#include "domain/device_health.h"
#include "domain/code_payload.h"
#include "domain/identity_card.h"
#include "domain/ticket.h"
#include "session/effects.h"
#include "store/store.h"
#include "workers.h"

namespace bianmin::drivers::idcard { class ReaderService; }

namespace bianmin::ui {

struct ShellOptions {
  config::Config config;
  store::StoreOptions store;
  std::string terminal_code;
  std::string receipt_query_url;  // the enrolled template scanned receipts must match
  std::string idcard;   // serial:PATH or usb…; "" = no reader
  std::string printer;  // tcp:HOST:PORT, usb, dev:PATH …; "" = no printer
  std::string camera, scanner;
  std::string document_scanner;  // sane:DEVICE; "" = none (materials from the camera)
  std::chrono::milliseconds poll_interval{3000};
  // The catalogue snapshot the kiosk started with (a newer one is loaded).
  std::optional<std::pair<int64_t, std::string>> catalog_version;
};

class Shell {
 public:
  Shell(ShellOptions options, Inbox& inbox);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  // Starts the workers, the reader service and the status poller.
  void start();
  void stop();
  // Never blocks: queues the effect on its worker.
  void carry_out(session::Effect effect);
  // Session ended: drop queued device events of the old session.
  void wipe();
  // The materials screen is showing: stream the camera preview to the loop.
  void want_preview(bool on);
  // Service mode (shell_service.cpp). The diagnose command probes the ID
  // reader itself, so the reader service lets go of it meanwhile; any thread.
  void pause_reader(bool paused);
  // The terminal was enrolled from service mode: the terminal code, hall
  // name and receipt URL are read again from the store.
  void reload_enrolment();
  // A scanned code as the resident session takes it: a receipt of this
  // system (the enrolled URL template), or nothing it knows.
  session::CodeScanned resident_code(std::string raw);
  // Records the devices' health for syncd's heartbeat (store settings
  // device.<name>.status); writes only what changed.
  void record_health(const DeviceStatus& status);

 private:
  struct Conn;  // one store connection per worker
  store::Store* store_on(std::unique_ptr<store::Store>& slot);
  void submit(session::DoSubmit& e);
  void print_receipt(const std::string& client_id);
  // 取号: the number stored first (durable, audited), then printed.
  void issue_ticket(const domain::QueueLine& line);
  Status print_ticket(const domain::Ticket& t);
  void capture(const std::string& material_id);
  // From the document scanner: the feeder's pages one by one (the last with
  // `more` false), each through the camera's page pipeline and budget.
  void scan_document(const std::string& material_id);
  void query_progress(const std::string& receipt_no, const std::string& token);
  void poll();
  bool stopping();

  ShellOptions opt_;
  Inbox& inbox_;
  Worker store_worker_{"store"}, printer_worker_{"printer"}, camera_worker_{"camera"}, net_worker_{"net"}, hall_worker_{"hall"};
  // Connections, each used only on its worker.
  std::unique_ptr<store::Store> store_conn_, printer_conn_, net_conn_, hall_conn_;
  // The hall's tickets, on their own worker: a keeper across the LAN that
  // is switched off must not hold up the store's work.
  HallQueueSlot hall_{opt_.config};
  std::atomic<bool> hall_polling_{false};
  std::mutex reader_mu_;  // reader_ start/stop: the loop's stop and service mode's pause
  std::unique_ptr<drivers::idcard::ReaderService> reader_;
  std::mutex pattern_mu_;
  std::shared_ptr<const domain::ReceiptUrlPattern> receipt_pattern_;
  std::unique_ptr<domain::IdCardEventSink> reader_sink_;
  std::unique_ptr<DocumentCamera> camera_;
  std::unique_ptr<CodeScannerService> scanner_;
  std::thread preview_;
  std::atomic<bool> preview_wanted_{false};
  std::optional<std::pair<int64_t, std::string>> catalog_version_;
  std::atomic<bool> printing_{false};
  std::map<domain::Device, std::string> recorded_health_;  // store worker only
  std::thread poller_;
  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stop_ = false;
};

}  // namespace bianmin::ui
