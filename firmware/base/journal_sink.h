// On a terminal the services' stderr is connected to journald. Sending each
// event through the journal's native protocol instead keeps its parts as
// fields, so a technician filters by component and by event:
//
//   journalctl BIANMIN_COMPONENT=sync
//   journalctl BIANMIN_EVENT="delivered" -o verbose
//
// Each Field `key=value` becomes BIANMIN_KEY=value; MESSAGE holds the event and
// its fields in logfmt, as the plain line would.
#pragma once

namespace bianmin::log {

// True when stderr is the journal's stream for this process (systemd sets
// JOURNAL_STREAM to its device:inode); then every event goes to the journal
// with fields. Otherwise nothing changes and lines go to stderr.
bool use_journal_when_connected();

}  // namespace bianmin::log
