"""The part the project's trained reading components share: a Rasa ``GraphComponent`` whose model is one object
pickled with joblib in its resource (``EmotionClassifier``, ``RequestReader``).
"""
from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class StoredModelComponent(GraphComponent):
    """A component whose trained model is ``MODEL_FILE`` in its resource; ``model`` is None until trained or when the
    resource holds none (a model archive from before the component): ``process`` then leaves messages as they are.

    Subclasses set ``MODEL_FILE``, give ``get_default_config`` and implement ``train`` and ``process``.
    """

    MODEL_FILE: ClassVar[str] = "model.joblib"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config (none here; subclasses give theirs)."""
        return {}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[Any] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StoredModelComponent":
        """Rasa's constructor for training: the component with no model yet.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.

        Returns:
            The component, untrained.
        """
        return cls(config, model_storage, resource)

    def store(self, model: Any) -> Resource:
        """Keep ``model`` as this component's model and write it to the model storage as ``MODEL_FILE``.

        Args:
            model: the trained model (picklable).

        Returns:
            The component's ``Resource``.
        """
        self.model = model
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(model, directory / self.MODEL_FILE)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "StoredModelComponent":
        """Rasa's loader: the persisted model, or None when the resource holds none.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            The component.
        """
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / cls.MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Return the training data unchanged (these components add nothing to it).

        Args:
            training_data: Rasa's training data.

        Returns:
            ``training_data``.
        """
        return training_data
