import InspectorCore
import ProcFS

extension ProcError {
    /// The reason in both report languages (the system's own message stays as it is).
    public var unavailable: Reading.Value {
        switch self {
        case .missing(let path): .unavailable(Vocabulary.text("reasons.file_missing", ["path": path]))
        case .unreadable(let path, let why): .unavailable(Vocabulary.text("reasons.file_unreadable", ["path": path, "why": why]))
        case .malformed(let path, let why): .unavailable(Vocabulary.text("reasons.file_malformed", ["path": path, "why": why]))
        }
    }
}
