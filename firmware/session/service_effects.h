// What service mode asks the outside world to do; each answer comes back as
// an event of service_inputs.h. DoAudit is the resident session's own type:
// both roles write to the same audit chain.
#pragma once

#include <string>
#include <variant>

#include "session/effects.h"
#include "session/service_inputs.h"

namespace bianmin::session {

struct DoCheckPin { std::string pin; };                  // → CredentialChecked
struct DoCheckCard { std::string id_number; };           // → CredentialChecked
struct DoRunChecks { bool fix = false; };                // → ChecksDone
struct DoEnrol { std::string payload; };                 // → EnrolDone
struct DoTestDevice { DeviceKind device; };              // → DeviceTested (the scanner and the card answer by themselves)
struct DoListDevices {};                                 // → DevicesListed
struct DoSaveSetting { std::string key, value; };        // → ServiceActionDone
struct DoLoadQueue {};                                   // → QueueListed
struct DoRetry { std::string client_id, technician; };   // → ServiceActionDone
struct DoDiscard { std::string client_id, technician, reason; };  // → ServiceActionDone
struct DoExportLogs { std::string technician; };         // → ServiceActionDone
struct DoFactoryReset { std::string technician; };       // → FactoryResetDone
struct DoFindBundles {};                                 // → BundlesFound
struct DoInstallUpdate { std::string path, technician; };  // → ServiceActionDone (minutes: RAUC writes a slot)
// Service mode closed: the shell drops what it held for it (the camera's
// live picture, a card read for the test) and gives the screen back.
struct DoCloseService {};

using ServiceEffect = std::variant<DoAudit, DoCheckPin, DoCheckCard, DoRunChecks, DoEnrol, DoTestDevice, DoListDevices,
                                   DoSaveSetting, DoLoadQueue, DoRetry, DoDiscard, DoExportLogs, DoFactoryReset,
                                   DoFindBundles, DoInstallUpdate, DoCloseService>;

}  // namespace bianmin::session
