import Foundation
import InspectorCore
import Reports

/// Which report templates a config uses: the shipped ones, with overrides from `paths.templates`
/// (relative to the config file), or else from /etc/inspect/templates when that directory exists.
public enum TemplateSet {
    public static let systemDirectory = "/etc/inspect/templates"

    public static func directory(_ config: InspectorConfig) -> String? {
        if let path = config.paths.templates {
            if path.hasPrefix("/") { return path }
            return FilePaths.parent(config.file) + "/" + path
        }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: systemDirectory, isDirectory: &isDirectory) && isDirectory.boolValue ? systemDirectory : nil
    }

    /// The templates, or a config error naming the template file, line and column.
    public static func load(_ config: InspectorConfig) throws(ConfigError) -> ReportTemplates {
        let directory = directory(config)
        if let directory, config.paths.templates != nil {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigError(file: config.file, line: 0, column: 0, message: "paths.templates: \(directory) is not a directory")
            }
        }
        do {
            return try ReportTemplates(overrides: directory)
        } catch {
            throw ConfigError(file: error.file, line: error.line ?? 0, column: error.column ?? 0, message: "report template: \(error.message)")
        }
    }
}
