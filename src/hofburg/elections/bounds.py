"""The election observation desk's input bounds (decision 0022), in one place."""

MAX_CODE_LENGTH = 40  # a mission's code, "EXERCISE-EOM"
MAX_NAME_LENGTH = 300
MAX_STATION_ID_LENGTH = 40
MAX_FRAME_ROWS = 200_000  # India has about a million stations; one mission's frame is far less
MAX_FRAME_BYTES = 50 * 2**20
MAX_XLSFORM_BYTES = 10 * 2**20
MAX_SUBMISSION_BYTES = 10 * 2**20  # X-OpenRosa-Accept-Content-Length: the XML and its media
MAX_SUBMISSION_XML_BYTES = 2 * 2**20
MAX_FORM_ID_LENGTH = 100
MAX_VERSION_LENGTH = 40
MAX_INSTANCE_ID_LENGTH = 100  # "uuid:" and a UUID is 41
MAX_DEVICE_LENGTH = 200
MAX_ERRORS_SHOWN = 20  # row-numbered errors listed before "and N more"
MAX_CANDIDATES = 50  # the candidates (or parties) a PVT results form counts
MAX_VALID_VOTES = 10_000_000  # a valid-report rule's floor of valid votes at one station
MAX_DEVICE_LABEL_LENGTH = 100  # "T01 phone 2"
MAX_DEVICE_TOKEN_DAYS = 90  # a device token lives at most a deployment's length
MAX_AREA_NAME_LENGTH = 100  # an area of responsibility, "North-East (Northmark 4-6, Eastshore)"
MAX_AREA_PLACES = 500  # the regions and districts one area takes
# A paper or phoned-in form's "captured at", as the data clerk enters it (decision 0071): not
# later than now plus core.bounds.CLOCK_SKEW (a clerk's clock, like a device's, may run a little
# ahead), and not before the mission was set up in Hofburg (its `created_at`). Checked once, in
# services.submissions.check_captured_at; the web entry page is given the same two limits.
# The media files a submission carries (its `image` and `audio` answers), from ODK Collect and
# from the web entry alike (decision 0051). One file fits one request with its XML; a record
# with more media than one request holds is sent in several, as Collect does.
MAX_ATTACHMENT_BYTES = 5 * 2**20  # a phone's photo or a few minutes of speech
MAX_ATTACHMENTS = 20  # files of one submission, over all its requests
MAX_ATTACHMENT_NAME_LENGTH = 255
# Accepted by the file name's extension, and stored and served with this type whatever the
# client declared: what cameras and recorders write for XLSForm `image` and `audio` questions.
ATTACHMENT_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
    "heic": "image/heic", "heif": "image/heif",
    "m4a": "audio/mp4", "aac": "audio/aac", "mp3": "audio/mpeg", "ogg": "audio/ogg",
    "oga": "audio/ogg", "opus": "audio/ogg", "amr": "audio/amr", "3gp": "audio/3gpp",
    "3gpp": "audio/3gpp", "3ga": "audio/3gpp", "wav": "audio/wav", "webm": "audio/webm",
}
