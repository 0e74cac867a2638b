import InspectorCore
import ProcFS

extension ProcError {
    /// The reason in both report languages (the system's own message stays as it is).
    public var unavailable: Reading.Value {
        switch self {
        case .missing(let path): .unavailable(description, zh: "\(path) 不存在")
        case .unreadable(let path, let why): .unavailable(description, zh: "无法读取 \(path)：\(why)")
        case .malformed(let path, let why): .unavailable(description, zh: "\(path) 格式异常：\(why)")
        }
    }
}
