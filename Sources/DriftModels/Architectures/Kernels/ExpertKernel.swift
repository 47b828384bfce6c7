import DriftCore
import Foundation

/// A Mixture-of-Experts MLP over packed rows, as transformers computes it: the router's softmax over all experts in
/// float32, the top-k experts per row (renormalised when the family says so; gpt-oss: the top-k logits, softmaxed
/// among themselves), and each expert run as one matrix product over the rows routed to it (biases included; the
/// family's activation or gpt-oss's clamped SwiGLU), its outputs weighted and summed in expert order.
package enum ExpertKernel {
    /// The routing of every row: `active` expert indices and weights per row, best first.
    package struct Routing: Equatable {
        package var experts: [Int]
        package var weights: [Float]
    }

    /// Writes the experts' weighted sum for every row of `input` (`rows × width`) into `output` (`rows × width`).
    package static func run(
        _ w: ExpertWeights, routing spec: ArchitectureSpec.ExpertRouting, input: UnsafePointer<Float>, rows: Int,
        width h: Int, activation: ArchitectureSpec.Activation, output: UnsafeMutablePointer<Float>
    ) {
        let routing = route(w.router, spec: spec, input: input, rows: rows)
        let f = spec.intermediateSize
        let k = spec.active
        output.initialize(repeating: 0, count: rows * h)
        // The rows each expert serves (ascending), with their weights.
        var served = [[(row: Int, weight: Float)]](repeating: [], count: spec.count)
        for r in 0..<rows {
            for slot in 0..<k {
                served[routing.experts[r * k + slot]].append((r, routing.weights[r * k + slot]))
            }
        }
        let capacity = served.map(\.count).max() ?? 0
        guard capacity > 0 else { return }
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: capacity * h)
        let gateUp = UnsafeMutablePointer<Float>.allocate(capacity: capacity * 2 * f)
        let activated = UnsafeMutablePointer<Float>.allocate(capacity: capacity * f)
        let result = UnsafeMutablePointer<Float>.allocate(capacity: capacity * h)
        defer {
            gathered.deallocate()
            gateUp.deallocate()
            activated.deallocate()
            result.deallocate()
        }
        for (expert, rowsServed) in served.enumerated() where !rowsServed.isEmpty {
            let n = rowsServed.count
            for (i, entry) in rowsServed.enumerated() {
                (gathered + i * h).update(from: input + entry.row * h, count: h)
            }
            TransformerKernels.linear(gathered, rows: n, weights: w.gateUp[expert], into: gateUp)
            if let clamp = spec.clampedSwiGLU {
                clampedSwiGLU(gateUp, into: activated, rows: n, width: f, clamp)
            } else {
                TransformerKernels.activateRows(
                    gateUp, into: activated, rows: n, width: f, gated: true, activation: activation)
            }
            TransformerKernels.linear(activated, rows: n, weights: w.down[expert], into: result)
            for (i, entry) in rowsServed.enumerated() {
                let target = output + entry.row * h
                let source = result + i * h
                for j in 0..<h { target[j] += source[j] * entry.weight }
            }
        }
    }

    /// gpt-oss's expert activation over `[gate | up]` rows of `2·width`: `(clamp(up, ±limit) + 1) · g · sigmoid(α·g)`
    /// with `g = min(gate, limit)`, into `rows × width`.
    static func clampedSwiGLU(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        _ clamp: ArchitectureSpec.ClampedSwiGLU
    ) {
        let limit = clamp.limit
        let alpha = clamp.alpha
        Parallel.forEachChunk(rows, minimumChunk: 16) { range in
            for r in range {
                let gate = input + r * 2 * width
                let up = gate + width
                let out = output + r * width
                for j in 0..<width {
                    let g = min(gate[j], limit)
                    let u = min(max(up[j], -limit), limit)
                    out[j] = (u + 1) * (g * (1 / (1 + exp(-(g * alpha)))))
                }
            }
        }
    }

    /// The router's choice for every row: softmax over the logits in float32, the `active` largest probabilities
    /// (ties to the lower expert index), divided by their sum when ``ArchitectureSpec/ExpertRouting/normalizesTopK``;
    /// with ``ArchitectureSpec/ExpertRouting/softmaxOverTopK`` the `active` largest logits, softmax over those alone.
    package static func route(
        _ router: LinearWeights, spec: ArchitectureSpec.ExpertRouting, input: UnsafePointer<Float>, rows: Int
    ) -> Routing {
        let e = spec.count
        let k = spec.active
        var logits = [Float](repeating: 0, count: rows * e)
        logits.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            TransformerKernels.linear(input, rows: rows, weights: router, into: base)
        }
        var experts = [Int](repeating: 0, count: rows * k)
        var weights = [Float](repeating: 0, count: rows * k)
        var probabilities = [Float](repeating: 0, count: e)
        var order = [Int](repeating: 0, count: e)
        for r in 0..<rows {
            let row = logits[(r * e)..<((r + 1) * e)]
            if spec.softmaxOverTopK {
                for j in 0..<e { order[j] = j }
                let base = r * e
                order.sort {
                    logits[base + $0] > logits[base + $1] || (logits[base + $0] == logits[base + $1] && $0 < $1)
                }
                let top = logits[base + order[0]]
                var total: Float = 0
                for slot in 0..<k {
                    experts[r * k + slot] = order[slot]
                    weights[r * k + slot] = exp(logits[base + order[slot]] - top)
                    total += weights[r * k + slot]
                }
                for slot in 0..<k { weights[r * k + slot] /= total }
                continue
            }
            let maximum = row.max() ?? 0
            var total: Float = 0
            for (j, value) in row.enumerated() {
                probabilities[j] = exp(value - maximum)
                total += probabilities[j]
            }
            for j in 0..<e { probabilities[j] /= total }
            for j in 0..<e { order[j] = j }
            order.sort { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
            var chosenTotal: Float = 0
            for slot in 0..<k { chosenTotal += probabilities[order[slot]] }
            for slot in 0..<k {
                experts[r * k + slot] = order[slot]
                let p = probabilities[order[slot]]
                weights[r * k + slot] = spec.normalizesTopK ? p / chosenTotal : p
            }
        }
        return Routing(experts: experts, weights: weights)
    }
}
