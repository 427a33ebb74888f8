#include "client/audit_report.h"

#include "audit/anchor.h"

namespace bianmin::sync {

using json = nlohmann::json;

Result<json> audit_report(store::Store& s) {
  audit::Anchor anchor(s.db(), s.sealer());
  BIANMIN_ASSIGN(audit::LoadedAnchor loaded, anchor.load());
  BIANMIN_ASSIGN(audit::Head head, anchor.head());
  json out = {{"head_seq", head.seq}, {"accepted_through", loaded.state.central_seq}, {"break", nullptr}};
  std::optional<audit::ChainProblem> problem = audit::Anchor::compare(loaded, head);
  std::string detected_at;
  if (!problem && loaded.state.broken()) {
    problem = loaded.state.break_problem();
    detected_at = loaded.state.break_at;
  }
  if (problem)
    out["break"] = {{"seq", problem->seq}, {"kind", problem->kind}, {"message", problem->message},
                    {"detected_at", detected_at.empty() ? json(nullptr) : json(detected_at)}};
  return out;
}

}  // namespace bianmin::sync
