// libFuzzer target: what one terminal of a hall sends another about the
// queue (sync/hall/hall_wire.h), both directions. The first byte picks the
// parser. Invariants: no crash; whatever parses encodes back to text that
// parses to the same values (a ticket relayed by a keeper stays the ticket).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hall/hall_wire.h"

namespace {

using namespace bianmin::sync::hall;
using bianmin::domain::Ticket;

bool same(const Ticket& a, const Ticket& b) {
  return a.number == b.number && a.line == b.line && a.line_name == b.line_name && a.day == b.day &&
         a.issued_at == b.issued_at && a.ahead == b.ahead && a.state == b.state && a.window_no == b.window_no &&
         a.clerk_id == b.clerk_id && a.called_at == b.called_at;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
      if (auto r = parse_issue_request(body)) {
        auto again = parse_issue_request(encode(*r));
        check(again && again->line == r->line && again->line_name == r->line_name);
      }
      break;
    case 1:
      if (auto r = parse_call_request(body)) {
        auto again = parse_call_request(encode(*r));
        check(again && again->lines == r->lines && again->window_no == r->window_no && again->clerk_id == r->clerk_id);
      }
      break;
    case 2:
      if (auto r = parse_state_request(body)) {
        auto again = parse_state_request(encode(*r));
        check(again && again->day == r->day && again->number == r->number && again->state == r->state);
      }
      break;
    case 3:
      if (auto t = parse_ticket(body)) {
        auto again = parse_ticket(encode_ticket(*t));
        check(again && same(*again, *t));
      }
      break;
    case 4:
      if (auto t = parse_answer(body)) {
        auto again = parse_answer(encode_answer(*t));
        check(again && again->has_value() == t->has_value() && (!t->has_value() || same(**again, **t)));
      }
      break;
    case 5:
      if (auto list = parse_list(body)) {
        auto again = parse_list(encode_list(*list));
        check(again && again->size() == list->size());
        for (size_t i = 0; again && i < list->size(); ++i) check(same((*again)[i], (*list)[i]));
      }
      break;
    default:
      (void)parse_letters(body);
  }
  return 0;
}
