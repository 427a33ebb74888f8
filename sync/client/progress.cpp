#include "client/progress.h"

#include "client/enrolment.h"
#include "client/http_client.h"

namespace bianmin::sync {

Result<wire::Status> query_progress(store::Store& s, const SyncSettings& settings, const std::string& receipt_no,
                                    const std::string& token) {
  BIANMIN_ASSIGN(auto enrolment, load_enrolment(s));
  if (!enrolment) return make_error("not_enrolled", "this terminal is not enrolled: run `bianmin enroll`");
  const std::string url = settings.central_url_override.empty() ? enrolment->central_url : settings.central_url_override;
  HttpClient http(url, trust_of(*enrolment), settings.timeouts);
  BIANMIN_ASSIGN(HttpResponse r, http.send({"GET", "/api/v1/progress?receipt_no=" + url_encode(receipt_no) +
                                                         "&token=" + url_encode(token), {}, {}}));
  if (r.status == 404) return make_error("not_found", "no application matches this receipt and token");
  if (r.status != 200) {
    auto e = wire::parse_error(r.body);
    return make_error("central_error", "the central answered HTTP " + std::to_string(r.status) +
                                           (e ? " " + e->code + ": " + e->message : ""));
  }
  return wire::parse_status(r.body);
}

}  // namespace bianmin::sync
