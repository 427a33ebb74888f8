// What an ID-card reader tells the core: the decoded card (resident ID card,
// Foreign Permanent Resident ID card 2017/2023, Hong Kong/Macao/Taiwan
// residence permit) and the events of a reader service.
//
// The core consumes these types (the session state machine pre-fills the
// applicant from a card and ends a session when the card is lifted); the
// driver in drivers/idcard produces them. Keeping them here means the core
// never depends on a driver.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/application.h"

namespace bianmin::domain {

enum class CardType { resident, foreign_permanent, gat_residence };
// The text-block layout, told apart by the character at byte offset 248.
enum class CardLayout { resident, foreign_2017, foreign_2023, gat };

// "resident" | "foreign_permanent" | "gat_residence" (the Applicant.id_type values).
const char* card_type_key(CardType t);
// "resident" | "foreign_2017" | "foreign_2023" | "gat".
const char* card_layout_key(CardLayout l);
CardType card_type_of(CardLayout l);

// One card as read. Text fields are UTF-8 with trailing spaces removed; a
// field the layout does not have stays empty. Dates are "YYYY-MM-DD" (or
// the card's own text when it is not 8 digits, e.g. "长期").
struct IdentityCard {
  CardLayout layout = CardLayout::resident;
  std::string name;          // Chinese name (may be empty on foreign cards)
  std::string name_en;       // foreign cards
  std::string sex;           // 男 | 女 | 未知 | 未说明 | "" (unknown code)
  std::string sex_code;      // the raw GB/T 2261.1 code
  std::string ethnicity;     // resident cards: "汉", … ("" for an unknown code)
  std::string ethnicity_code;
  std::string birth_date;
  std::string address;       // the address printed on the card
  std::string appended_address;  // latest appended address (30 03), if any
  std::string id_number;
  bool id_number_valid = false;  // MOD 11-2 (18-char numbers) or the 2017 foreign format
  std::string issuer;        // issuing authority; 2017 foreign: accepting-authority code
  std::string valid_from;
  std::string valid_until;   // date or "长期"
  std::string nationality;   // foreign cards: GB/T 2659 alpha-3
  std::string pass_number;   // GAT: home-return / compatriot permit number
  std::string issue_count;   // GAT: 签发次数, as on the card ("01")
  std::string card_version;  // 2017 foreign card: version number
  std::string renewal_count; // 2023 foreign card: 换证次数
  std::string previous_number_link;  // 2023 foreign card: link to the old 15-char number
  std::vector<uint8_t> photo;        // WLT block, opaque (decoding needs a vendor library)
  std::vector<uint8_t> fingerprint;  // only when read with 30 10

  IdentityCard() = default;
  IdentityCard(const IdentityCard&) = default;
  IdentityCard& operator=(const IdentityCard&) = default;
  IdentityCard(IdentityCard&&) = default;
  IdentityCard& operator=(IdentityCard&&) = default;
  // Every copy overwrites its buffers when it goes: resident data must not
  // stay in freed memory after a session (DESIGN.md invariant 2).
  ~IdentityCard() { wipe(); }

  CardType type() const { return card_type_of(layout); }
  // The current address: the appended one when the card has it.
  const std::string& current_address() const {
    return appended_address.empty() ? address : appended_address;
  }
  // The applicant pre-filled from the card, verified_by "id_card_reader".
  Applicant to_applicant() const;
  // Masked forms for logs: "王**", "110105********002X".
  std::string masked_name() const;
  std::string masked_id_number() const;
  // Overwrites every buffer (resident data must not linger after a session).
  void wipe();
};

// What a reader service reports, in order, from its worker thread.
enum class IdCardEventKind {
  reader_present,  // the reader answers (at start, or after it came back)
  reader_absent,   // unplugged, not answering, or cannot be opened
  card_read,       // a card was placed and read; `card` holds it
  read_failed,     // a card was found but could not be read (lifted too early, card error)
  card_removed,    // the card that was read has been lifted
};
const char* idcard_event_key(IdCardEventKind k);

// The card inside an event wipes itself when the event is destroyed.
struct IdCardEvent {
  IdCardEventKind kind = IdCardEventKind::reader_absent;
  std::optional<IdentityCard> card;  // card_read only
  std::string error_code;            // read_failed / reader_absent: stable snake_case code
  std::string message;               // for people and logs (never personal data)
  std::string reader;                // which reader ("serial:/dev/ttyUSB0", "usb:0400:c35a")
};

// Where a reader service delivers events. Called on the service's worker
// thread: implementations must be quick and thread-safe.
class IdCardEventSink {
 public:
  virtual ~IdCardEventSink() = default;
  virtual void on_idcard_event(IdCardEvent event) = 0;
};

// A thread-safe queue that the session state machine drains on its own
// thread (the UI loop), so a reader never blocks it.
class IdCardEventQueue final : public IdCardEventSink {
 public:
  void on_idcard_event(IdCardEvent event) override;
  // The oldest event, or nullopt at once when there is none.
  std::optional<IdCardEvent> poll();
  // Waits up to `timeout` for an event.
  std::optional<IdCardEvent> wait(std::chrono::milliseconds timeout);
  std::size_t size() const;
  // Drops (and wipes) every queued event, e.g. when a session ends.
  void clear();

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<IdCardEvent> events_;
};

}  // namespace bianmin::domain
