// Output files are replaced atomically: written beside their final name, then renamed over it, so a reader
// (or a run killed half-way) sees the old file or the new one, never a half-written one.
#pragma once
#include <filesystem>
#include <string>

namespace deepchip::explorer {

// Throws sim::InputError "path: cannot write: <reason>" (an --out directory that is not writable).
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace deepchip::explorer
