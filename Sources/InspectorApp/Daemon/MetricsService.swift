import Exposition
import Foundation
import InspectorCore
import ServiceLifecycle
import Spool

/// The Prometheus exposition: serves /metrics when a listen address is set (`--listen`, else
/// `metrics.listen`) and rewrites `metrics.textfile` atomically after each judged batch (at most
/// every `textfileEvery` seconds). Both render from the daemon's state at that moment. Not on
/// the daemon's clock: a scrape is real time.
final class MetricsService: Service, @unchecked Sendable {
    static let name = "metrics"
    let context: DaemonContext
    let textfileEvery: Double = 5

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        let config = context.config.metrics
        let listen = context.options.listen ?? config?.listen
        var server: MetricsServer?
        if let listen {
            do {
                server = try MetricsServer(address: listen, credentials: try Self.credentials(config)) { [context] in
                    PrometheusText.render(context.exposition())
                }
            } catch {
                context.logger.error("metrics listener not started on \(listen): \(error)")
            }
            if !listen.isLoopback && config?.user == nil {
                context.logger.warning("metrics are served on \(listen) without basic auth (metrics.user and metrics.secrets)")
            }
        }
        let serving = server.map { server in
            Task {
                do { try await server.run() } catch { self.context.logger.error("metrics listener on \(listen!) stopped: \(error)") }
            }
        }
        if let server, let listen {
            do {
                try await server.waitUntilListening()
                let port = await server.port ?? listen.port
                context.logger.notice("serving /metrics", metadata: ["listen": "\(listen.host):\(port)"])
            } catch {
                context.logger.error("metrics listener on \(listen) did not start: \(error)")
            }
        }
        await cancelWhenGracefulShutdown {
            var written = -1
            while !Task.isCancelled {
                // The config in force: a reload may add, move or drop the textfile.
                if let path = self.context.config.metrics?.textfile, self.context.generation != written {
                    written = self.context.generation
                    self.writeTextfile(path)
                }
                try? await Task.sleep(nanoseconds: UInt64(self.textfileEvery * 1e9))
            }
        }
        await server?.stop()
        serving?.cancel()
    }

    func writeTextfile(_ path: String) {
        do {
            try AtomicFile.write(Data(PrometheusText.render(context.exposition())), to: path)
        } catch {
            context.logger.warning("metrics textfile not written: \(error)")
        }
    }

    /// Basic auth from the secrets source (`password=`), read at start.
    static func credentials(_ config: MetricsConfig?) throws -> MetricsServer.Credentials? {
        guard let config, let user = config.user, let source = config.secrets else { return nil }
        guard let password = try Secrets.password(source), !password.isEmpty else {
            throw Secrets.Problem(description: "\(source) has no password= for the metrics listener")
        }
        return MetricsServer.Credentials(user: user, password: password)
    }
}
