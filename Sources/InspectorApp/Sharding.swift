import COpenSSL
import Foundation
import InspectorCore

/// Which targets a shard polls: the md5 of the target id, its last 8 bytes read big-endian,
/// mod N, as Prometheus' `hashmod` relabelling computes it, so a fleet split here can be
/// matched by a Prometheus split on the same ids.
public enum Sharding {
    public static func hash(_ id: String) -> UInt64 {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(id.utf8)
        _ = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_md5(), nil)
        return digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// How many shards poll a target: its `replicas` label (1 when absent or not a number).
    public static func replicas(_ target: Target) -> Int {
        target.labels[Shard.replicasLabel].flatMap { Int($0) }.map { max(1, $0) } ?? 1
    }

    public static func owns(_ shard: Shard?, _ target: Target) -> Bool {
        guard let shard else { return true }
        return shard.owns(hash: hash(target.id), replicas: replicas(target))
    }

    /// The shards (0-based) that poll a target, for `inspect targets`.
    public static func shards(of target: Target, count: Int) -> [Int] {
        (0..<count).filter { Shard(index: $0, count: count).map { owns($0, target) } ?? false }
    }
}
