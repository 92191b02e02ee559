#include "sim/io/idx.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/io/errors.hpp"

namespace deepchip::sim {
namespace {

TEST(Idx, ReadsFashionMnistFromDebian) {
  const Dataset test = load_fashion_mnist("/usr/share/datasets/fashion-mnist", true);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.height, 28);
  EXPECT_EQ(test.width, 28);
  ASSERT_EQ(test.labels.size(), 10000u);
  std::vector<int> per_class(10, 0);
  for (uint8_t l : test.labels) {
    ASSERT_LT(l, 10);
    ++per_class[l];
  }
  for (int c : per_class) EXPECT_EQ(c, 1000);  // the test set is balanced
  EXPECT_EQ(load_fashion_mnist("/usr/share/datasets/fashion-mnist", false).count, 60000);
}

TEST(Idx, PlainFilesAndErrors) {
  const auto dir = std::filesystem::temp_directory_path() / ("idx_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "a.idx", std::ios::binary);
    const unsigned char bytes[] = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6};
    f.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  const IdxArray a = load_idx((dir / "a.idx").string());
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  {
    std::ofstream f(dir / "b.idx", std::ios::binary);
    const unsigned char bytes[] = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2};
    f.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  try {
    load_idx((dir / "b.idx").string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "b.idx").string() + ": its dims need 5 data bytes, found 2");
  }
  try {
    load_fashion_mnist((dir / "nowhere").string(), true);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Debian package dataset-fashion-mnist"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deepchip::sim
