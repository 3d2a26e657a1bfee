// The widgets of enketo-core's src/js/widgets.js less the geopicker, whose map tiles and
// geocoder come from other sites at run time (the CSP forbids it, and observers are offline):
// a geopoint question is then a plain text input. Replaces enketo/widgets at bundle time.

import a from 'enketo-core/src/widget/note/notewidget';
import b from 'enketo-core/src/widget/select-desktop/selectpicker';
import c from 'enketo-core/src/widget/select-mobile/selectpicker';
import e from 'enketo-core/src/widget/select-autocomplete/autocomplete';
import g from 'enketo-core/src/widget/textarea/textarea';
import h from 'enketo-core/src/widget/table/tablewidget';
import i from 'enketo-core/src/widget/radio/radiopicker';
import j from 'enketo-core/src/widget/date/datepicker-extended';
import k from 'enketo-core/src/widget/date-mobile/datepicker-mobile';
import l from 'enketo-core/src/widget/time/timepicker-extended';
import m from 'enketo-core/src/widget/datetime/datetimepicker-extended';
import n from 'enketo-core/src/widget/date-native/datepicker-native';
import o from 'enketo-core/src/widget/select-media/select-media';
import p from 'enketo-core/src/widget/file/filepicker';
import q from 'enketo-core/src/widget/draw/draw-widget';
import r from 'enketo-core/src/widget/select-likert/likertitem';
import s from 'enketo-core/src/widget/columns/columns';
import u from 'enketo-core/src/widget/big-image/image-viewer';
import v from 'enketo-core/src/widget/comment/commentwidget';
import w from 'enketo-core/src/widget/image-map/image-map';
import x from 'enketo-core/src/widget/range/range-widget';
import y from 'enketo-core/src/widget/rank/rank-widget';
import z from 'enketo-core/src/widget/url/url-widget';
import aa from 'enketo-core/src/widget/text-max/text-max';
import ab from 'enketo-core/src/widget/date-native-ios/datepicker-native-ios';
import ac from 'enketo-core/src/widget/rating/rating';
import ad from 'enketo-core/src/widget/text-print/text-print';
import ae from 'enketo-core/src/widget/thousands-sep/thousands-sep';
import af from 'enketo-core/src/widget/number-input/decimal-input';
import ag from 'enketo-core/src/widget/number-input/integer-input';
// import zz from 'enketo-core/src/widget/example/my-widget';

export default [
    a,
    b,
    c,
    e,
    g,
    h,
    i,
    j,
    k,
    l,
    m,
    n,
    o,
    p,
    q,
    r,
    s,
    u,
    v,
    w,
    x,
    y,
    z,
    aa,
    ab,
    ac,
    ad,
    ae,
    af,
    ag,
];
