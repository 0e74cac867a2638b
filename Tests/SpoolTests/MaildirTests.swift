import Foundation
import Testing
@testable import Spool

struct MaildirTests {
    func freshDir() -> String {
        let dir = NSTemporaryDirectory() + "inspect-spool-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func deliveredFileIsWholeAndTmpIsEmpty() throws {
        let box = Maildir(freshDir() + "/reports")
        let path = try box.deliver(Data("hello".utf8), name: "20261124T000000Z-a.json")
        #expect(FileManager.default.contents(atPath: path) == Data("hello".utf8))
        #expect(box.pending() == ["20261124T000000Z-a.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.tmpDirectory).isEmpty)
    }

    @Test func redeliveringANameKeepsTheFirstFile() throws {
        let box = Maildir(freshDir() + "/events")
        try box.deliver(Data("first".utf8), name: "e1.json")
        try box.deliver(Data("second".utf8), name: "e1.json")
        #expect(box.pending() == ["e1.json"])
        #expect(FileManager.default.contents(atPath: "\(box.newDirectory)/e1.json") == Data("first".utf8))
    }

    @Test func aFailedDeliveryLeavesNothingInNew() throws {
        let root = freshDir()
        try FileManager.default.createDirectory(atPath: "\(root)/reports", withIntermediateDirectories: true)
        // tmp/ is a regular file: the spool cannot be prepared, and the error names the path.
        #expect(FileManager.default.createFile(atPath: "\(root)/reports/tmp", contents: Data()))
        let box = Maildir("\(root)/reports")
        #expect { try box.deliver(Data("x".utf8), name: "r.json") } throws: { error in
            (error as! SpoolError).description.contains("\(root)/reports/tmp")
        }
        #expect(box.pending().isEmpty)
    }

    /// A reader scanning new/ while writers deliver large files must only ever see whole files.
    @Test func readersNeverSeePartialFiles() async throws {
        let box = Maildir(freshDir() + "/reports")
        try box.prepare()
        let size = 512 * 1024
        let writer = Task.detached {
            for i in 0..<40 {
                let byte = UInt8(i % 251)
                try box.deliver(Data(repeating: byte, count: size), name: String(format: "%04d.bin", i))
            }
        }
        var seenWhole = Set<String>()
        while seenWhole.count < 40 {
            for name in box.pending() where !seenWhole.contains(name) {
                let data = try #require(FileManager.default.contents(atPath: "\(box.newDirectory)/\(name)"))
                #expect(data.count == size, "\(name) seen with \(data.count) bytes")
                seenWhole.insert(name)
            }
            if writer.isCancelled { break }
            await Task.yield()
        }
        try await writer.value
        #expect(seenWhole.count == 40)
    }

    @Test func concurrentWritersGetDistinctWholeFiles() async throws {
        let box = Maildir(freshDir() + "/events")
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<8 {
                group.addTask {
                    for i in 0..<25 { _ = try? box.deliver(Data("\(w)-\(i)".utf8), name: "w\(w)-\(i).json") }
                }
            }
        }
        let names = box.pending()
        #expect(names.count == 200)
        for name in names {
            let text = String(decoding: FileManager.default.contents(atPath: "\(box.newDirectory)/\(name)")!, as: UTF8.self)
            #expect("w\(text).json" == name)
        }
    }

    @Test func atomicReplaceKeepsOldOrNew() throws {
        let path = freshDir() + "/state.json"
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("new".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["state.json"])
    }

    @Test func stampsSortByTime() {
        let a = Spool.stamp(Date(timeIntervalSince1970: 1_795_000_000))
        let b = Spool.stamp(Date(timeIntervalSince1970: 1_795_000_001))
        #expect(a == "20261118T110640Z")
        #expect(a < b)
    }
}

struct PreciseStampTests {
    @Test func millisecondsKeepEventsInOrder() {
        let a = Spool.preciseStamp(Date(timeIntervalSince1970: 1_795_000_000.004))
        let b = Spool.preciseStamp(Date(timeIntervalSince1970: 1_795_000_000.250))
        #expect(a == "20261118T110640.004Z")
        #expect(a < b)
    }
}
