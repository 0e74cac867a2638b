import Foundation
import History
import InspectorCore
import Logging

/// The one judging pipeline that `inspect now` and `inspect run` share: readings go to history
/// first (rate and window cards compare with earlier samples), the evaluator judges them against
/// the cards, and the findings go to history under the run's id.
struct Judging {
    let history: History?
    let cards: [Card]
    let logger: Logger

    /// One target's verdict: what the report shows of it, and its findings.
    struct Judged: Sendable {
        var target: ReportTarget
        var findings: [Finding]
        var readings: TargetReadings
    }

    /// `openAlerts` keeps hysteresis for alerts the daemon holds open (empty for one-shot runs).
    func judge(_ collected: [TargetReadings], at time: Date, run: String, openAlerts: Set<String> = []) -> [Judged] {
        guard !collected.isEmpty else { return [] }
        do { try history?.record(collected, at: time) } catch { logger.warning("history not written: \(error)") }
        let evaluator = Evaluator(openAlerts: openAlerts, ratePerHour: Self.rates(history, at: time), windowStats: Self.windows(history, at: time))
        let judged = collected.map { readings in
            Judged(target: ReportTarget(id: readings.target.id, kind: readings.target.kind, address: AdHocTarget.redacted(readings.target.address),
                                        labels: readings.target.labels, inventory: readings.inventory, failure: readings.failure)
                        .withFailureWords(readings.failureWords),
                   findings: evaluator.evaluate(readings, cards: cards), readings: readings)
        }
        do { try history?.record(findings: judged.flatMap(\.findings), run: run, at: time) } catch { logger.warning("history not written: \(error)") }
        return judged
    }

    /// Rates of change from history, for the evaluator.
    static func rates(_ history: History?, at now: Date) -> @Sendable (String, String, String) -> Double? {
        { target, metric, instance in
            (try? history?.ratePerHour(target: target, metric: metric, instance: instance, now: now)) ?? nil
        }
    }

    /// Statistics over a window of history, for the evaluator (SXKR-001 over the last hour).
    static func windows(_ history: History?, at now: Date) -> @Sendable (String, String, String, Double) -> WindowStats? {
        { target, metric, instance, seconds in
            (try? history?.window(target: target, metric: metric, instance: instance, from: now.addingTimeInterval(-seconds), to: now)) ?? nil
        }
    }
}
