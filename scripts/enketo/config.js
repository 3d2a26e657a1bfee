// Hofburg's enketo-core configuration (replaces enketo-core's config.js at bundle time): no
// map tiles, since nothing may be fetched from another site at run time (the CSP forbids it).
export default {
    experimentalOptimizations: { computeAsync: false },
    excludeNonRelevant: false,
    maps: [],
    googleApiKey: '',
    repeatOrdinals: false,
    validateContinuously: false,
    validatePage: true,
    swipePage: false,
    textMaxChars: 2000,
};
