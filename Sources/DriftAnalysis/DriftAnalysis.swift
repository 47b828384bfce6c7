// DriftAnalysis: drift measures, statistics, projection.
