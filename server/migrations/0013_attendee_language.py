from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0012_pitch_language')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attendee',
            name='language',
            field=fields.CharField(max_length=9, default='', db_default=''),
        ),
    ]
