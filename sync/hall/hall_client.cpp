#include "hall/hall_client.h"

#include <nlohmann/json.hpp>

#include "hall/hall_wire.h"

namespace bianmin::sync::hall {
namespace {

// A hall LAN answers in milliseconds; a keeper switched off must not hold a
// clerk's "call next" for long.
constexpr HttpTimeouts kTimeouts{3, 5};

TlsTrust peer_trust(TlsTrust trust, const std::string& host_terminal) {
  trust.ca_fingerprint.clear();
  trust.peer_terminal = host_terminal;
  return trust;
}

std::string joined(const std::vector<std::string>& letters) {
  std::string out;
  for (const auto& l : letters) out += (out.empty() ? "" : ",") + l;
  return out;
}

// The keeper's {"error":{"code","message"}}, else the status.
Error keeper_error(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const auto& e = j["error"];
    const std::string code = e.value("code", "");
    const std::string message = e.value("message", "");
    if (code == "not_found") return make_error("not_found", message);
    if (code == "forbidden")
      return make_error("hall_refused", "the terminal keeping the hall's tickets does not list this one in queue.clients");
    return make_error("hall_failed", "the terminal keeping the hall's tickets answered " + code + ": " + message);
  }
  return make_error("hall_failed", "the terminal keeping the hall's tickets answered HTTP " + std::to_string(r.status));
}

}  // namespace

RemoteHallQueue::RemoteHallQueue(const std::string& host_url, const std::string& host_terminal, TlsTrust trust)
    : host_url_(host_url), http_(host_url, peer_trust(std::move(trust), host_terminal), kTimeouts) {}

Result<std::string> RemoteHallQueue::call(const std::string& method, const std::string& path, const std::string& body,
                                          long expected) {
  HttpRequest req{method, path, {}, body};
  if (method == "POST") req.headers.push_back({"Content-Type", "application/json"});
  auto r = http_.send(req);
  if (!r) {
    // Say which setting points where: the technician fixes queue.host.
    std::string why = r.error().message;
    if ((r.error().code == "tls_untrusted" || r.error().code == "tls_failed") && !http_.last_tls_detail().empty() &&
        why.find(http_.last_tls_detail()) == std::string::npos)
      why += ": " + http_.last_tls_detail();
    return make_error(r.error().code, "the terminal keeping the hall's tickets (queue.host " + host_url_ + "): " + why);
  }
  if (r->status != expected) return keeper_error(*r);
  return std::move(r->body);
}

Result<domain::Ticket> RemoteHallQueue::issue(const domain::QueueLine& line) {
  BIANMIN_ASSIGN(std::string body, call("POST", "/hall/v1/tickets", encode(IssueRequest{line.letter, line.name}), 201));
  return parse_ticket(body);
}

Result<std::optional<domain::Ticket>> RemoteHallQueue::call_next(const std::vector<std::string>& lines,
                                                                 const std::string& window_no,
                                                                 const std::string& clerk_id) {
  BIANMIN_ASSIGN(std::string body, call("POST", "/hall/v1/calls", encode(CallRequest{lines, window_no, clerk_id}), 200));
  return parse_answer(body);
}

Status RemoteHallQueue::set_state(const std::string& day, const std::string& number, domain::TicketState state,
                                  const std::string& clerk_id) {
  BIANMIN_ASSIGN(std::string body, call("POST", "/hall/v1/tickets/state", encode(StateRequest{day, number, clerk_id, state}), 204));
  return {};
}

Result<std::vector<domain::Ticket>> RemoteHallQueue::list(const std::string& which, const std::vector<std::string>& lines) {
  std::string path = "/hall/v1/tickets?which=" + which;
  if (!lines.empty()) path += "&lines=" + joined(lines);
  BIANMIN_ASSIGN(std::string body, call("GET", path, "", 200));
  return parse_list(body);
}

Result<std::vector<domain::Ticket>> RemoteHallQueue::today(const std::vector<std::string>& lines) {
  return list("today", lines);
}

Result<std::vector<domain::Ticket>> RemoteHallQueue::waiting(const std::vector<std::string>& lines) {
  return list("waiting", lines);
}

Result<std::optional<domain::Ticket>> RemoteHallQueue::last_called() {
  BIANMIN_ASSIGN(std::string body, call("GET", "/hall/v1/called", "", 200));
  return parse_answer(body);
}

}  // namespace bianmin::sync::hall
