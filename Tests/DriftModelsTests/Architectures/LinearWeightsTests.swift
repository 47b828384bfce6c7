import DriftCore
import DriftModels
import Testing

@Suite struct LinearWeightsTests {
    /// Stacking (for weight sources that read q, k, v or gate, up separately) keeps rows in order and fills a
    /// missing bias with zeros, so one product equals the separate ones side by side.
    @Test func concatenatingStacksRowsAndBiases() {
        let a = LinearWeights(weight: Matrix(rowArrays: [[1, 2], [3, 4]]), bias: [0.5, -0.5])
        let b = LinearWeights(weight: Matrix(rowArrays: [[5, 6]]))
        let stacked = LinearWeights.concatenating([a, b])
        #expect(stacked.weight == Matrix(rowArrays: [[1, 2], [3, 4], [5, 6]]))
        #expect(stacked.bias == [0.5, -0.5, 0])
        let x = Matrix(rowArrays: [[1, -1]])
        let separate =
            x.multiplied(by: a.weight, transposeOther: true).storage
            + x.multiplied(by: b.weight, transposeOther: true).storage
        #expect(x.multiplied(by: stacked.weight, transposeOther: true).storage == separate)
        #expect(LinearWeights.concatenating([b]).bias == nil)
    }
}
