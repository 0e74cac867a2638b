import Foundation
import PackagePlugin

/// Compiles data files from Config/ into a module, so the binary needs no data files of its own:
/// Config/templates/*.mustache into Reports (/etc/inspect/templates overrides them at run time),
/// and the metric catalogue and the vocabulary (Config/metrics.yaml, vocabulary.yaml) into InspectorCore.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let config = context.package.directoryURL.appending(path: "Config")
        let files: [URL]
        let name: String
        if target.name == "InspectorCore" {
            files = [config.appending(path: "metrics.yaml"), config.appending(path: "vocabulary.yaml")]
            name = "EmbeddedCatalogue"
        } else {
            files = try FileManager.default.contentsOfDirectory(at: config.appending(path: "templates"), includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "mustache" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            name = "EmbeddedTemplates"
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        return [.buildCommand(displayName: "Embedding \(files.count) files from Config into \(target.name)",
                              executable: try context.tool(named: "embed-templates").url,
                              arguments: [output.path, name] + files.map(\.path),
                              inputFiles: files, outputFiles: [output])]
    }
}
