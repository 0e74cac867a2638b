internal import CNetSNMP

extension SNMPSession {
    /// GETs `oids` in batches of `endpoint.getBatch`. Absent objects come back as
    /// noSuchObject/noSuchInstance (v2c/v3) or as noSuchObject for a v1 noSuchName.
    public func get(_ oids: [OID]) async throws(SNMPError) -> [OID: SNMPValue] {
        var out: [OID: SNMPValue] = [:]
        var start = 0
        while start < oids.count {
            let batch = Array(oids[start..<min(oids.count, start + max(1, endpoint.getBatch))])
            try await getBatch(batch, into: &out)
            start += batch.count
        }
        return out
    }

    private func getBatch(_ batch: [OID], into out: inout [OID: SNMPValue]) async throws(SNMPError) {
        guard !batch.isEmpty else { return }
        do {
            var nulls: [OID] = []
            for (oid, value) in try await request(PDUType.get, batch) {
                if value == .null { nulls.append(oid) } else { out[oid] = value }
            }
            // NULL is no answer to a GET. Some agents fill a whole response with NULL when one object
            // fails (snmpsim's genError on Debian's pysnmp): ask again for those alone, in halves,
            // until each NULL is pinned on its own object.
            if nulls.count == 1 && batch.count == 1 {
                out[nulls[0]] = .agentError("NULL")
            } else if nulls.count == batch.count {
                let half = batch.count / 2
                try await getBatch(Array(batch[..<half]), into: &out)
                try await getBatch(Array(batch[half...]), into: &out)
            } else if !nulls.isEmpty {
                try await getBatch(nulls, into: &out)
            }
        } catch .agentError(status: "tooBig", _) where batch.count > 1 {
            // The answer does not fit in one message: ask for halves.
            let half = batch.count / 2
            try await getBatch(Array(batch[..<half]), into: &out)
            try await getBatch(Array(batch[half...]), into: &out)
        } catch .agentError(status: let status, oid: let failing) {
            // One object refused (genErr, noAccess; SNMPv1's noSuchName for an absent one) fails the
            // whole request: mark that object alone and ask again for the rest. When the agent's
            // error index names no object of the request, halve the batch until it does.
            let value: SNMPValue = status == "noSuchName" ? .noSuchObject : .agentError(status)
            if let index = batch.firstIndex(where: { $0.description == failing }) {
                out[batch[index]] = value
                var rest = batch
                rest.remove(at: index)
                try await getBatch(rest, into: &out)
            } else if batch.count > 1 {
                let half = batch.count / 2
                try await getBatch(Array(batch[..<half]), into: &out)
                try await getBatch(Array(batch[half...]), into: &out)
            } else {
                out[batch[0]] = value
            }
        }
    }

    /// Which of `roots` (table columns) have at least one object below them: one GETNEXT per
    /// batch of roots instead of a walk each, so detection costs a request or two however many
    /// profiles there are. An agent that refuses the batch is asked root by root.
    public func populated(_ roots: [OID]) async throws(SNMPError) -> Set<OID> {
        var found: Set<OID> = []
        var start = 0
        while start < roots.count {
            let batch = Array(roots[start..<min(roots.count, start + max(1, endpoint.getBatch))])
            start += batch.count
            do {
                let answer = try await request(PDUType.getNext, batch)
                for (root, (oid, value)) in zip(batch, answer) where value != .endOfMibView && root.isPrefix(of: oid) && root != oid {
                    found.insert(root)
                }
            } catch .agentError {
                for root in batch {
                    if !(try await walk(root, limit: 1)).isEmpty { found.insert(root) }
                }
            }
        }
        return found
    }

    /// All objects below `root`, in order. Uses GETBULK (v2c/v3) and falls back to GETNEXT for
    /// agents that answer tooBig at one repetition or reject GETBULK. Stops, keeping what it has,
    /// when the agent returns an OID that does not increase (recorded in `problems`).
    public func walk(_ root: OID, limit: Int = 200_000) async throws(SNMPError) -> [(OID, SNMPValue)] {
        var out: [(OID, SNMPValue)] = []
        var last = root
        var repetitions = endpoint.version == .v1 ? 0 : max(1, endpoint.maxRepetitions)
        while out.count < limit {
            let answer: [(OID, SNMPValue)]
            do {
                answer = repetitions > 0
                    ? try await request(PDUType.getBulk, [last], nonRepeaters: 0, maxRepetitions: repetitions)
                    : try await request(PDUType.getNext, [last])
            } catch .agentError(status: let status, _) where repetitions > 0 {
                // tooBig: fewer repetitions, down to plain GETNEXT; anything else: GETNEXT at once.
                repetitions = status == "tooBig" ? repetitions / 2 : 0
                continue
            } catch .agentError(status: "noSuchName", _) where repetitions == 0 {
                return out   // SNMPv1 end of the MIB
            }
            guard !answer.isEmpty else { return out }
            for (oid, value) in answer {
                if value == .endOfMibView || !root.isPrefix(of: oid) { return out }
                guard last < oid else {
                    problems.append(SNMPError.nonIncreasing(last.description).description)
                    return out
                }
                out.append((oid, value))
                last = oid
            }
        }
        return out
    }
}
