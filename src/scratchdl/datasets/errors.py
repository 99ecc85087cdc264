"""The one error every dataset problem raises: missing, corrupt or unreadable files."""


class DatasetError(ValueError):
    """A dataset file is missing, fails its checksum, or is not a valid IDX file."""
