"""The bounds of a photo attached to an observation (decision 0058), stated once.

The service checks them (`intake.photos`), the page receives them through its `json_script`
config and checks them on the device before a photo is kept with its record, and the upload
view refuses a request larger than one photo and its fields before reading it. The formats are
those the engine can take the location out of without re-encoding (`engine.photos`); a photo
is told by its first bytes, never by its name or declared type.
"""

from hofburg.monitoring.engine.photos import EXTENSIONS, MEDIA_TYPES

MAX_PHOTO_BYTES = 5 * 2**20  # a phone's photo; the election desk's media bound (decision 0051)
MAX_PHOTOS = 5  # photos of one observation, over all its requests
MAX_PHOTO_NAME_LENGTH = 255
# One photo per request, with its client id and its "keep location" field.
MAX_PHOTO_REQUEST_BYTES = MAX_PHOTO_BYTES + 64 * 2**10
# What the device offers and checks: media type -> the extension the stored name gets.
PHOTO_TYPES = {MEDIA_TYPES[kind]: EXTENSIONS[kind] for kind in MEDIA_TYPES}
