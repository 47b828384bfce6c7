import Testing

@testable import DriftModels

@Suite struct TensorInfoTests {
    @Test func elementCountIsProductOfShape() {
        #expect(TensorInfo(name: "w", typeName: "F32", shape: [3, 4, 5]).elementCount == 60)
        #expect(TensorInfo(name: "s", typeName: "F32", shape: []).elementCount == 1)
    }
}
