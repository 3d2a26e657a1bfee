// Builds Hofburg's enketo-core bundle once, at vendor time (scripts/vendor.sh), from the npm
// packages pinned in package.json: the form engine as one IIFE script (global EnketoCore) and
// enketo-core's "formhub" theme as one CSS file. The CSP allows images from this site only, so
// every data: image of the theme is written to a file beside the CSS and referred to by name.
// Usage: node scripts/enketo/build.mjs <node_modules> <output folder>
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [nodeModules, out] = process.argv.slice(2).map((p) => resolve(p));
const here = new URL('.', import.meta.url).pathname;
const require = createRequire(join(nodeModules, 'noop.js'));
const esbuild = require('esbuild');
const sass = require('sass');

// enketo-core stops the form's native submission with an inline handler,
// `$form.attr('onsubmit', 'return false;')`, which the CSP (no inline script) refuses, logging
// a violation and letting Enter in a field submit the page. The same thing as a listener:
const ONSUBMIT = "this.view.$.attr('onsubmit', 'return false;');";
const noInlineSubmitHandler = {
    name: 'no-inline-submit-handler',
    setup(build) {
        build.onLoad({ filter: /enketo-core[\\/]src[\\/]js[\\/]form\.js$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes(ONSUBMIT)) {
                throw new Error(`${args.path} no longer sets onsubmit: review this patch`);
            }
            return { contents: source.replace(ONSUBMIT,
                "this.view.html.addEventListener('submit', (event) => event.preventDefault());"),
            loader: 'js', resolveDir: dirname(args.path) };
        });
    },
};

mkdirSync(join(out, 'img'), { recursive: true });
const bundle = await esbuild.build({
    metafile: true,
    plugins: [noInlineSubmitHandler],
    entryPoints: [join(here, 'entry.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    legalComments: 'eof',
    nodePaths: [nodeModules],
    alias: {
        'enketo/config': join(here, 'config.js'),
        'enketo/widgets': join(here, 'widgets.js'),
    },
    outfile: join(out, 'enketo-core.min.js'),
});

const theme = join(nodeModules, 'enketo-core/src/sass/formhub/formhub.scss');
// enketo-core's widgets import their libraries' CSS by its path in enketo's own repository.
const MONOREPO = '/packages/enketo-core/node_modules/';
const fromMonorepo = {
    findFileUrl(url) {
        return url.startsWith(MONOREPO)
            ? pathToFileURL(join(nodeModules, url.slice(MONOREPO.length))) : null;
    },
};
// The theme is compiled inside `.enketo-entry`, the element around the form on Hofburg's page,
// so that its resets of html, body and bare elements cannot restyle the rest of the site.
let css = sass.compileString('.enketo-entry { @import "formhub"; }', {
    url: pathToFileURL(theme.replace(/formhub\.scss$/, 'hofburg-scope.scss')), style: 'compressed', loadPaths: [nodeModules], importers: [fromMonorepo], quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div'],
}).css;
css = css.replace(/url\((['"]?)data:image\/(png|svg\+xml)(;base64)?,([^'")]*)\1\)/g,
    (_match, _quote, kind, base64, data) => {
        const bytes = base64 ? Buffer.from(data, 'base64')
            : Buffer.from(decodeURIComponent(data), 'utf8');
        const name = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
            + (kind === 'png' ? '.png' : '.svg');
        writeFileSync(join(out, 'img', name), bytes);
        return `url("img/${name}")`;
    });
// The theme sizes in rem against its own `html { font-size: 62.5% }` (1rem = 10px), which no
// longer applies inside the scope: its rem become the px they meant.
css = css.replace(/(\d*\.?\d+)rem\b/g, (_match, n) => `${+(parseFloat(n) * 10).toFixed(3)}px`);
writeFileSync(join(out, 'formhub.css'), css);
// The licence of every package whose code is in the bundle, in one file beside it.
const packages = new Set(Object.keys(bundle.metafile.inputs)
    .map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//))
    .filter(Boolean).map((match) => match[1]));
const notices = [...packages].sort().map((name) => {
    const folder = join(nodeModules, name);
    const meta = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const file = readdirSync(folder).find((f) => /^(licen[sc]e|copying)/i.test(f));
    const text = file ? readFileSync(join(folder, file), 'utf8').trim() : `License: ${meta.license}`;
    return `${name} ${meta.version} (${meta.license})\n${'='.repeat(60)}\n${text}\n`;
});
writeFileSync(join(out, 'LICENSES.txt'), notices.join('\n'));
if (!existsSync(join(out, 'LICENSES.txt'))) throw new Error('no licences written');
console.log(`packages in the bundle: ${[...packages].sort().join(', ')}`);
console.log(`enketo-core bundle and theme written to ${out}`);
