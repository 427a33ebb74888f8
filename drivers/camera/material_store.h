// Adding a scanned page to a queued application: the page is stored as a
// sealed blob and appended, as the next page of one material, to the
// application's materials (tables blobs and application_materials). The
// blob directory's shared lock is held from writing the blob until the rows
// are committed, so start-up recovery never takes the new file for an
// orphan of an interrupted write.
#pragma once

#include <string>

#include "base/result.h"
#include "store/store.h"

namespace bianmin::drivers::camera {

struct AddedPage {
  std::string sha256;
  int64_t bytes = 0;
  int64_t seq = 0;  // page number within the material, from 1
};

// Errors: "not_found" (no such application, by client_id or receipt
// number), "not_queued" (already delivered, discarded …), "input_invalid"
// (material ID not in the item's list when the catalogue knows the item).
Result<AddedPage> add_material_page(store::Store& store, const std::string& application,
                                    const std::string& material_id, const std::string& bytes,
                                    const std::string& mime);

}  // namespace bianmin::drivers::camera
