"""The pages, each a thin script: read through ``dashboard.reads``, write through
``data.services``, draw through the chart builders."""
