#include "diagnose_sync.h"

#include <cmath>

#include "base/time.h"
#include "catalog/catalog_store.h"
#include "client/enrolment.h"
#include "hall/hall_setup.h"
#include "common/pki.h"
#include "common/wire.h"
#include "outbox/delivery.h"

namespace bianmin::sync {
namespace {

using namespace diagnose;
// The report's verdict makers, not the command line's fail(Error).
using diagnose::fail;
using diagnose::ok;
using diagnose::warn;
using namespace std::chrono_literals;

// A certificate that ends within this time must be renewed on the next visit.
constexpr int64_t kCertRenewWithinS = 30 * 86400;
// Receipts, deadlines and certificate checks all read the clock; past a few
// seconds a resident's receipt shows a wrong time, past minutes TLS and the
// central's records disagree with it.
constexpr int64_t kSkewWarnMs = 30'000;
constexpr int64_t kSkewFailMs = 300'000;

const char* kEnrolAdvice =
    "enrol the terminal: in service mode scan the enrolment QR of the work order, or run "
    "`bianmin enroll --central URL --code CODE --ca-fingerprint SHA256`";

// Short timeouts: a diagnosis must answer in seconds even with the central gone.
HttpTimeouts diagnose_timeouts() {
  HttpTimeouts t;
  t.connect_s = 3;
  t.stall_s = 4;
  return t;
}

Result<std::optional<Enrolment>> enrolment_of(cli::Runner& r) {
  BIANMIN_ASSIGN(store::Store * s, r.store());
  return load_enrolment(*s);
}

Finding check_enrolment(cli::Runner& r) {
  auto e = enrolment_of(r);
  if (!e) return fail("the enrolment cannot be read: " + e.error().message, kEnrolAdvice);
  if (!*e) return fail("not enrolled", kEnrolAdvice);
  const Enrolment& en = **e;
  std::string figure = en.terminal_id + " with " + en.central_url;
  if (en.ca_fingerprint.empty() || en.ca_pem.empty())
    return fail(figure + ", no CA pinned", std::string("the enrolment is incomplete: ") + kEnrolAdvice);
  figure += ", CA " + en.ca_fingerprint.substr(0, 16) + "…";
  auto cert = pki::inspect(en.cert_pem);
  if (!cert) return fail(figure + ", certificate unreadable", kEnrolAdvice);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t left_days = (cert->not_after - now) / 86400;
  figure += ", certificate valid " + std::to_string(left_days) + " more days";
  if (cert->not_after <= now) return fail(figure, std::string("the certificate has expired: ") + kEnrolAdvice);
  if (cert->not_after - now < kCertRenewWithinS)
    return warn(figure, "the certificate ends soon: re-enrol with a new code from the central");
  return ok(figure);
}

std::string signed_seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

Finding check_network(cli::Runner& r) {
  auto e = enrolment_of(r);
  if (!e || !*e) return fail("not checked: the terminal is not enrolled", "enrol it first (see the enrolment check)");
  const Enrolment& en = **e;
  HttpClient http(en.central_url, trust_of(en), diagnose_timeouts());
  const auto t0 = std::chrono::system_clock::now();
  auto resp = http.send({"GET", "/api/v1/health", {}, {}});
  const auto t1 = std::chrono::system_clock::now();
  const auto rtt = std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count();
  if (!resp) {
    const Error& err = resp.error();
    if (err.code == "tls_untrusted")
      return fail(en.central_url + " is not the enrolled central: " + err.message,
                  "the network leads somewhere else (a proxy or a wrong address): check the hall's network with "
                  "its administrator; nothing was sent");
    if (err.code == "tls_failed")
      return fail("TLS with " + en.central_url + " failed: " + err.message,
                  "the central refused this terminal's certificate: re-enrol the terminal");
    return fail("cannot reach " + en.central_url + ": " + err.message,
                "check the network cable and the hall's government network; applications stay queued and are "
                "delivered when it is back");
  }
  if (resp->status != 200)
    return fail(en.central_url + " health answered HTTP " + std::to_string(resp->status),
                "the central is up but unwell: report it to the central's operators");
  auto health = wire::parse_health(resp->body);
  if (!health) return fail("the central's health answer is malformed", "report it to the central's operators");
  auto server = time::parse_rfc3339(health->server_time);
  if (!server) return fail("the central's time is unreadable: " + health->server_time, "report it to the central's operators");
  const auto skew = std::chrono::duration_cast<std::chrono::milliseconds>(*server - (t0 + (t1 - t0) / 2)).count();
  std::string figure = "health ok in " + std::to_string(rtt) + " ms over pinned TLS, clock " + signed_seconds(-skew) +
                       " against the central";
  const char* clock_advice = "set the terminal's clock: enable time synchronisation (systemd-timesyncd) with the "
                             "government network's time server, or set it by hand in service mode";
  if (std::llabs(skew) > kSkewFailMs) return fail(figure, clock_advice);
  if (std::llabs(skew) > kSkewWarnMs) return warn(figure, clock_advice);
  return ok(figure);
}

// The hall's queue: kept here (and served to whom), or reached at the keeper.
Finding check_hall_queue(cli::Runner& r) {
  auto cfg = r.config();
  if (!cfg) return fail("not checked: the configuration is unusable", "see the configuration check");
  const config::Config& c = **cfg;
  const std::string host = c.str("queue.host"), listen = c.str("queue.listen");
  if (!host.empty()) {
    auto s = r.store();
    if (!s) return fail("not checked: the store is unusable", "see the store check");
    auto q = hall::open_hall_queue(**s, c);
    if (!q) return fail(q.error().message, "set queue.host and queue.host_terminal as the keeper's technician gave them");
    const auto t0 = std::chrono::steady_clock::now();
    auto called = (*q)->last_called();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    if (!called) {
      if (called.error().code == "hall_refused")
        return fail(called.error().message, "add this terminal's id to queue.clients on the keeper (" +
                                                c.str("queue.host_terminal") + ") and restart its syncd");
      return fail(called.error().message, "check that the keeper is on and its syncd runs with queue.listen, and that "
                                          "queue.host and queue.host_terminal name it");
    }
    return ok("the keeper " + c.str("queue.host_terminal") + " at " + host + " answered in " + std::to_string(ms) +
              " ms" + (*called ? ", last called " + (**called).number : ""));
  }
  if (listen.empty()) return ok("this terminal keeps the hall's tickets for itself (queue.host and queue.listen empty)");
  const auto clients = hall::parse_clients(c.str("queue.clients"));
  if (clients.empty())
    return fail("queue.listen is " + listen + " but queue.clients lists no terminal",
                "list the ids of the hall's other kiosks and counters in queue.clients");
  auto e = enrolment_of(r);
  if (!e || !*e) return fail("queue.listen is set but the terminal is not enrolled", kEnrolAdvice);
  return ok("serves the hall's tickets at " + listen + " to " + std::to_string(clients.size()) + " terminal(s) (syncd)");
}

// The repair for a catalogue that does not load or is stale: the whole
// catalogue again from the central (no If-None-Match), imported as usual
// (parsed first, the old one stays active if the new one is refused).
std::optional<std::string> refetch_catalogue(cli::Runner& r) {
  auto e = enrolment_of(r);
  if (!e || !*e) return std::nullopt;
  auto s = r.store();
  if (!s) return std::nullopt;
  HttpClient http((*e)->central_url, trust_of(**e), diagnose_timeouts());
  auto resp = http.send({"GET", "/api/v1/catalog", {}, {}});
  if (!resp) return "re-requested the catalogue: " + resp.error().message;
  if (resp->status != 200) return "re-requested the catalogue: the central answered HTTP " + std::to_string(resp->status);
  auto report = catalog::CatalogStore((*s)->db()).import(resp->body, "central " + http.base_url() + " (diagnose --fix)",
                                                        wire::parse_etag(resp->header("etag")));
  if (!report) return "re-requested the catalogue; it was refused: " + report.error().message;
  return "re-requested the catalogue: version " + report->version + ", " + std::to_string(report->items) + " items";
}

std::optional<std::string> wake_daemon(cli::Runner& r) {
  auto cfg = r.config();
  if (!cfg) return std::nullopt;
  outbox::wake_sync_daemon((*cfg)->data_dir());
  return "woke the sync daemon so that it retries now";
}

}  // namespace

void add_sync_checks(Checklist& list, cli::Runner& r) {
  list.add({"enrolment", "Enrolment", Stage::enrolment, 3s, [&r] { return check_enrolment(r); }, nullptr});
  list.add({"network", "Network to the central", Stage::network, 10s, [&r] { return check_network(r); }, nullptr});
  list.add({"hall_queue", "The hall's queue tickets", Stage::network, 8s, [&r] { return check_hall_queue(r); }, nullptr});
  list.set_fix("catalogue", [&r](const Finding&) { return refetch_catalogue(r); });
  list.set_fix("delivery", [&r](const Finding&) { return wake_daemon(r); });
}

}  // namespace bianmin::sync
