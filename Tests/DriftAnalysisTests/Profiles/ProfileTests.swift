import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct ProfileTests {
    @Test func noiseFloorAndRelativeDriftMatchNumpy() throws {
        let f = try Fixture("profiles.json")
        let templates = try f.matrices("templates")
        let floor = try NoiseFloor(templates: templates)
        expectClose(floor.perConcept, try f.doubles("floor"))
        expectClose(floor.mean, try f.double("floor_mean"))
        let drift = try ConceptDrift.cosineDistances(templates[0], try f.matrix("variant_for_floor"))
        expectClose(try floor.relative(drift), try f.doubles("relative"))
    }

    @Test func timeProfileMatchesNumpy() throws {
        let f = try Fixture("profiles.json")
        let profile = try TimeProfile(variants: try f.matrices("variants"))
        let fromFirst = try #require(f.object["from_first"] as? [[Double]])
        let steps = try #require(f.object["step_to_step"] as? [[Double]])
        #expect(profile.fromFirst.count == 3 && profile.stepToStep.count == 3)
        for t in 0..<3 {
            expectClose(profile.fromFirst[t], fromFirst[t], "from first \(t)")
            expectClose(profile.stepToStep[t], steps[t], "step \(t)")
        }
    }

    @Test func layerProfileOfAnyMeasure() throws {
        let f = try Fixture("profiles.json")
        let a = try f.matrices("layers_a"), b = try f.matrices("layers_b")
        let drift = try LayerProfile(measure: "mean_drift", layers: a.count) { layer in
            try DriftSummary(ConceptDrift.cosineDistances(a[layer], b[layer])).mean
        }
        expectClose(drift.values, try f.doubles("layer_mean_drift"))
        let cka = try LayerProfile(measure: "cka", layers: a.count) { try CKA.linear(a[$0], b[$0]) }
        expectClose(cka.values, try f.doubles("layer_cka"))
        let expected = try f.doubles("layer_mean_drift")
        #expect(drift.peakLayer == expected.indices.max { expected[$0] < expected[$1] })
    }
}
