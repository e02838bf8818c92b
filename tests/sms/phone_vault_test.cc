#include "sms/phone_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace mittari::sms {
namespace {

class PhoneVaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mittari_vault_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string KeyPath(std::string_view name = "phone.key") const { return (dir_ / name).string(); }

  PhoneVault Vault(const std::string& path) {
    Result<PhoneVault> vault = PhoneVault::OpenOrCreate(path);
    EXPECT_TRUE(vault.ok()) << vault.status().ToString();
    return std::move(vault).value();
  }

  void WriteFile(const std::string& path, const std::string& bytes, mode_t mode) {
    { std::ofstream(path, std::ios::binary) << bytes; }
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }

  std::filesystem::path dir_;
};

TEST_F(PhoneVaultTest, SealedNumbersOpenToTheSameNumber) {
  PhoneVault vault = Vault(KeyPath());
  std::string sealed = vault.Seal("+358401234567");
  EXPECT_EQ(sealed.find("+358401234567"), std::string::npos);
  Result<std::string> opened = vault.Open(sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "+358401234567");
  EXPECT_EQ(*vault.Open(vault.Seal("")), "");
}

TEST_F(PhoneVaultTest, SealingTwiceGivesDifferentBytesThatBothOpen) {
  PhoneVault vault = Vault(KeyPath());
  std::string first = vault.Seal("+46701234567");
  std::string second = vault.Seal("+46701234567");
  EXPECT_NE(first, second);
  EXPECT_EQ(*vault.Open(first), "+46701234567");
  EXPECT_EQ(*vault.Open(second), "+46701234567");
}

TEST_F(PhoneVaultTest, DamagedOrForeignDataIsDataLoss) {
  PhoneVault vault = Vault(KeyPath());
  std::string sealed = vault.Seal("+358401234567");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> opened = vault.Open(tampered);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(opened.status().message(), "cannot decrypt phone number (wrong key or damaged data)");
  }
  EXPECT_EQ(vault.Open(sealed.substr(0, sealed.size() - 1)).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(vault.Open("").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(vault.Open("short").status().code(), StatusCode::kDataLoss);

  PhoneVault other = Vault(KeyPath("other.key"));
  EXPECT_EQ(other.Open(sealed).status().code(), StatusCode::kDataLoss);
}

TEST_F(PhoneVaultTest, HashMatchesEqualNumbersOnlyUnderTheSameKey) {
  PhoneVault vault = Vault(KeyPath());
  std::string hash = vault.Hash("+358401234567");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
  EXPECT_EQ(vault.Hash("+358401234567"), hash);
  EXPECT_NE(vault.Hash("+358401234568"), hash);
  EXPECT_NE(Vault(KeyPath("other.key")).Hash("+358401234567"), hash);
}

TEST_F(PhoneVaultTest, ReopeningTheKeyFileGivesTheSameKeys) {
  std::string sealed;
  std::string hash;
  {
    PhoneVault vault = Vault(KeyPath());
    sealed = vault.Seal("+358401234567");
    hash = vault.Hash("+358401234567");
  }
  PhoneVault reopened = Vault(KeyPath());
  EXPECT_EQ(reopened.Hash("+358401234567"), hash);
  EXPECT_EQ(*reopened.Open(sealed), "+358401234567");
}

TEST_F(PhoneVaultTest, CreatesAPrivateKeyFileOfSixtyFourBytesAndNothingElse) {
  ::mode_t old_umask = ::umask(0);  // a permissive umask must not leak into the key file
  Result<PhoneVault> vault = PhoneVault::OpenOrCreate(KeyPath());
  ::umask(old_umask);
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  struct stat info {};
  ASSERT_EQ(::stat(KeyPath().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(info.st_size, 64);
  // The temporary file it was written through is gone.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(PhoneVaultTest, RefusesAKeyFileOthersCanRead) {
  WriteFile(KeyPath(), std::string(64, 'k'), 0644);
  Result<PhoneVault> vault = PhoneVault::OpenOrCreate(KeyPath());
  ASSERT_FALSE(vault.ok());
  EXPECT_EQ(vault.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(vault.status().message().find(KeyPath()), std::string::npos);
  EXPECT_NE(vault.status().message().find("chmod 600"), std::string::npos)
      << vault.status().message();

  ASSERT_EQ(::chmod(KeyPath().c_str(), 0640), 0);
  EXPECT_EQ(PhoneVault::OpenOrCreate(KeyPath()).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_EQ(::chmod(KeyPath().c_str(), 0600), 0);
  EXPECT_TRUE(PhoneVault::OpenOrCreate(KeyPath()).ok());
}

TEST_F(PhoneVaultTest, RefusesAKeyFileOfTheWrongSize) {
  for (size_t size : {32u, 63u, 65u, 0u}) {
    WriteFile(KeyPath(), std::string(size, 'k'), 0600);
    Result<PhoneVault> vault = PhoneVault::OpenOrCreate(KeyPath());
    ASSERT_FALSE(vault.ok()) << size;
    EXPECT_EQ(vault.status().code(), StatusCode::kDataLoss) << size;
    EXPECT_NE(vault.status().message().find(KeyPath()), std::string::npos);
  }
  // An empty file is damage, not absence: it is never silently replaced by a new key.
  struct stat info {};
  ASSERT_EQ(::stat(KeyPath().c_str(), &info), 0);
  EXPECT_EQ(info.st_size, 0);
}

TEST_F(PhoneVaultTest, AMissingDirectoryIsAnErrorNamingThePath) {
  std::string path = (dir_ / "no_such_dir" / "phone.key").string();
  Result<PhoneVault> vault = PhoneVault::OpenOrCreate(path);
  ASSERT_FALSE(vault.ok());
  EXPECT_NE(vault.status().message().find(path), std::string::npos) << vault.status().message();
}

TEST_F(PhoneVaultTest, ProcessesStartingTogetherAllGetTheSameKey) {
  for (int round = 0; round < 20; ++round) {
    std::string path = KeyPath("race" + std::to_string(round) + ".key");
    std::vector<std::string> hashes(8);
    std::vector<std::thread> starters;
    for (std::string& hash : hashes) {
      starters.emplace_back([&path, &hash] {
        Result<PhoneVault> vault = PhoneVault::OpenOrCreate(path);
        hash = vault.ok() ? vault->Hash("+358401234567") : vault.status().ToString();
      });
    }
    for (std::thread& starter : starters) starter.join();
    for (const std::string& hash : hashes) EXPECT_EQ(hash, hashes[0]) << "round " << round;
  }
}

TEST_F(PhoneVaultTest, AMovedVaultKeepsWorking) {
  PhoneVault vault = Vault(KeyPath());
  std::string sealed = vault.Seal("+358401234567");
  PhoneVault moved = std::move(vault);
  EXPECT_EQ(*moved.Open(sealed), "+358401234567");
}

}  // namespace
}  // namespace mittari::sms
