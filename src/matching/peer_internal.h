#pragma once
// Internal helpers shared by the peer solvers (peer.cc, roommates.cc). Not part of the API.

#include <cstdint>
#include <string>

#include "matching/peer.h"

namespace tandem::matching::internal {

// The person's label, or "person <index>" without labels.
std::string PersonName(const PeerInstance& instance, std::int32_t v);

// weight + bonus ranks pairs first: bonus = max_weight * floor(n / 2) + 1 (0 when the options
// ask for the plain maximum weight).
Weight PeerBonus(const PeerInstance& instance, const PeerOptions& peer_options);

// Fills `unpaired`, the notes on the odd pool and on every unpaired person (`unpaired_reason`
// says why for people who had candidates) and, with allow_trio, the trios.
// REQUIRES: s->partner is a valid pairing of instance.
void FinishPeerSolution(const PeerInstance& instance, const PeerOptions& peer_options,
                        const char* unpaired_reason, PeerSolution* s);

}  // namespace tandem::matching::internal
